#!/bin/sh
# luksfit kernel lab guest init: copied to /init by tests/vm/harness/boot.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/cryptsetup /dev/pts /dev/shm /root
export DM_DISABLE_UDEV=1
# static device nodes whose first open autoloads the module (what kmod static-nodes does)
krel=$(uname -r)
if [ -f "/lib/modules/$krel/modules.devname" ]; then
    grep -v '^#' "/lib/modules/$krel/modules.devname" | while read -r _mod node spec; do
        [ -e "/dev/$node" ] && continue
        type=${spec%%[0-9]*}; nums=${spec#?}
        mkdir -p "$(dirname "/dev/$node")"
        mknod "/dev/$node" "$type" "${nums%%:*}" "${nums##*:}" 2>/dev/null || true
    done
fi
# shellcheck source=/dev/null  # written by the harness for each boot
. /lab/boot.env
if [ "${LAB_DISKS:-0}" -gt 0 ]; then
    modprobe virtio_pci && modprobe virtio_blk || echo "lab: cannot load virtio_blk"
    i=0
    while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi
cd /tmp || exit 1
echo "lab: guest $(uname -r), kernel ${LAB_KERNEL:-?}, variant $LAB_VARIANT, userland ${LAB_USERLAND:-?}, up $(cut -d' ' -f1 /proc/uptime) s"
# LAB_QUIET_KERNEL=1 (the main job): kernel messages stay off the console during the
# scenario (panics still show) and the errors it logged are listed after it instead (warnings
# stay in dmesg: loading dm-mod warns about IMA, for example).
if [ "${LAB_QUIET_KERNEL:-0}" = 1 ]; then
    dmesg -c >/dev/null
    dmesg -n 1
fi
sh -e /lab/scenario.sh </dev/null 2>&1
rc=$?
if [ "${LAB_QUIET_KERNEL:-0}" = 1 ]; then
    kmsg=$(dmesg -r | grep '^<[0-3]>')
    if [ -n "$kmsg" ]; then
        echo "lab: the kernel logged these errors during the scenario:"
        printf '%s\n' "$kmsg" | sed 's/^/lab: kernel: /'
    else
        echo "lab: the kernel logged no error during the scenario"
    fi
fi
sync
if [ "$rc" -gt 127 ]; then echo "lab: scenario status $rc reported as 127"; rc=127; fi
echo "lab: guest up $(cut -d' ' -f1 /proc/uptime) s"
echo "@@lab-guest-status=$rc@@"
lab_probe exit "$rc"
echo "lab: lab_probe exit failed; powering off"
poweroff -f
