#!/bin/bash
# luksfit kernel lab: boots real Debian kernels under qemu (TCG) and runs a guest scenario.
#
#   lab.sh kernels [--refresh]          resolve and fetch the kernels into the cache
#   lab.sh image --variant V            build (or reuse) the base initramfs of a variant
#   lab.sh run --variant V --scenario FILE [--disk PATH[:SIZE]]... [--timeout S]
#              [--bin PATH]... [--tool fio] [--env NAME=VALUE]... [--log FILE]...
#              [--initrd FILE]
#                   --initrd: boot FILE (e.g. made by mkinitramfs for the variant's kernel)
#                   instead of the lab's base image; the scenario cpio with the lab's /init
#                   is still appended, so FILE needs busybox and its own modules
#   lab.sh clean                        remove the cache
#
# Variants: stock (newest kernel), no-afalg (newest, af_alg.ko/algif_*.ko removed),
# no-dmcrypt (newest, dm-crypt.ko removed), old (oldest kernel).
#
# Environment:
#   LAB_CACHE       cache folder (default: <repo>/build/lab-cache)
#   LAB_KERNEL_NEW  package of the newest kernel (default: newest
#                   linux-image-6.1.0-*-cloud-amd64-unsigned known to apt-cache)
#   LAB_KERNEL_OLD  package of the oldest kernel (default: the oldest one)
#   LAB_QEMU        qemu binary (default: qemu-system-x86_64)
#   LAB_MEMORY      guest memory (default: 1536M)
#   LAB_REQUIRE     1: a missing prerequisite (qemu, kernel download) is an error, not a skip
#
# `run` streams the serial console to stdout and exits with the guest scenario's exit status
# (0..127). Lab failures (timeout, missing or inconsistent status, qemu error) exit 99
# (Meson: ERROR); a missing prerequisite exits 77 (Meson: SKIP) unless LAB_REQUIRE=1.
# Messages of the lab itself start with "lab:" and go to stderr.
set -eEuo pipefail
# A command that stops the lab under `set -e` says where, instead of a bare exit status.
trap 'echo "lab: error: ${BASH_SOURCE[0]##*/}:$LINENO: \"$BASH_COMMAND\" failed with status $?" >&2' ERR

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$REPO_DIR/build/lab-cache}
QEMU=${LAB_QEMU:-qemu-system-x86_64}
MEMORY=${LAB_MEMORY:-1536M}
KERNEL_PATTERN='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
STATUS_MARKER='@@lab-guest-status='
LAB_FAIL=99
LAB_SKIP=77

# Host tools copied into every guest image (with their ldd libraries), in /usr/local/bin.
PEER_TOOLS=(cryptsetup dmsetup blkid losetup mkfs.ext4 kcapi-enc kcapi-dgst kcapi-rng)
# Host tools added only on request (run --tool NAME): fio's libraries (ceph, icu...) weigh
# 70 MiB and cost about 1.5 s per boot. Each is cached as its own cpio, appended per boot.
OPTIONAL_TOOLS=(fio)
# Module subtrees (relative to /lib/modules/KVER) copied into every guest image.
MODULE_TREES=(kernel/crypto kernel/arch/x86/crypto kernel/lib kernel/drivers/md
              kernel/drivers/block kernel/drivers/virtio kernel/drivers/char/hw_random)

die() { echo "lab: error: $*" >&2; exit "$LAB_FAIL"; }
note() { echo "lab: $*" >&2; }
skip() {
    if [[ ${LAB_REQUIRE:-0} == 1 ]]; then die "$* (LAB_REQUIRE=1)"; fi
    echo "lab: SKIP: $*" >&2
    exit "$LAB_SKIP"
}
now_ms() { date +%s%3N; }

usage() {
    sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# Run "$@" in a subshell holding an exclusive lock named $1 in the cache (the *_locked
# functions rely on the subshell: their EXIT traps clean up their temporary folders).
with_lock() {
    local name=$1; shift
    mkdir -p "$LAB_CACHE/locks"
    (
        flock 9
        "$@"
    ) 9>"$LAB_CACHE/locks/$name.lock"
}

# ---------------------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------------------

pkg_version() {
    # awk reads all of its input: no SIGPIPE for apt-cache under pipefail.
    apt-cache show --no-all-versions "$1" 2>/dev/null | awk '/^Version: / && v == "" {v = $2} END {print v}'
}

# Writes $LAB_CACHE/kernels.env (NEW_PKG, NEW_VER, OLD_PKG, OLD_VER); called under lock.
resolve_kernels_locked() {
    local refresh=$1 list new old
    if [[ $refresh == 0 && -s $LAB_CACHE/kernels.env ]]; then
        return 0
    fi
    list=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null | grep -E "$KERNEL_PATTERN" \
           | sort -V || true)
    new=${LAB_KERNEL_NEW:-$(tail -n1 <<<"$list")}
    old=${LAB_KERNEL_OLD:-$(head -n1 <<<"$list")}
    [[ -n $new && -n $old ]] ||
        skip "apt-cache knows no linux-image-6.1.0-*-cloud-amd64-unsigned (run 'apt-get update')"
    local new_ver old_ver
    new_ver=$(pkg_version "$new"); old_ver=$(pkg_version "$old")
    [[ -n $new_ver ]] || die "apt-cache has no version for $new"
    [[ -n $old_ver ]] || die "apt-cache has no version for $old"
    printf 'NEW_PKG=%s\nNEW_VER=%s\nOLD_PKG=%s\nOLD_VER=%s\n' \
        "$new" "$new_ver" "$old" "$old_ver" >"$LAB_CACHE/kernels.env.tmp"
    mv "$LAB_CACHE/kernels.env.tmp" "$LAB_CACHE/kernels.env"
}

# Fetches package $1 at version $2 into $LAB_CACHE/kernels/$1_$2; called under lock.
fetch_kernel_locked() {
    local pkg=$1 ver=$2 dir="$LAB_CACHE/kernels/${1}_$2" t0 tmp deb
    [[ -e $dir/.complete ]] && return 0
    t0=$(now_ms)
    note "fetching $pkg=$ver"
    tmp=$(mktemp -d "$LAB_CACHE/tmp.fetch.XXXXXX")
    chmod 0755 "$tmp"  # lets apt download sandboxed as _apt
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT  # runs in with_lock's subshell
    (cd "$tmp" && apt-get download -q "$pkg=$ver" >&2) ||
        skip "cannot fetch kernel: apt-get download $pkg=$ver failed"
    deb=$(find "$tmp" -maxdepth 1 -name '*.deb' -print -quit)
    [[ -n $deb ]] || die "apt-get download produced no .deb for $pkg"
    mkdir -p "$tmp/root"
    dpkg-deb -x "$deb" "$tmp/root"
    rm -rf "$dir"
    mkdir -p "$LAB_CACHE/kernels"
    mv "$tmp/root" "$dir"
    touch "$dir/.complete"
    note "fetched $pkg=$ver in $(( $(now_ms) - t0 ))ms"
}

# Sets KPKG KVERSION KDIR KREL (kernel release) KIMAGE for "new" or "old".
select_kernel() {
    local which=$1
    mkdir -p "$LAB_CACHE"
    with_lock kernels resolve_kernels_locked 0
    # shellcheck disable=SC1091
    . "$LAB_CACHE/kernels.env"
    # shellcheck disable=SC2153  # NEW_VER, OLD_VER come from kernels.env
    if [[ $which == new ]]; then KPKG=$NEW_PKG; KVERSION=$NEW_VER
    else KPKG=$OLD_PKG; KVERSION=$OLD_VER; fi
    KDIR="$LAB_CACHE/kernels/${KPKG}_$KVERSION"
    if [[ ! -e $KDIR/.complete ]]; then
        with_lock kernels fetch_kernel_locked "$KPKG" "$KVERSION"
    fi
    KREL=$(basename "$(find "$KDIR/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)")
    KIMAGE="$KDIR/boot/vmlinuz-$KREL"
    [[ -f $KIMAGE ]] || die "no kernel image $KIMAGE"
}

cmd_kernels() {
    local refresh=0
    [[ ${1:-} == --refresh ]] && refresh=1
    mkdir -p "$LAB_CACHE"
    with_lock kernels resolve_kernels_locked "$refresh"
    local which
    for which in new old; do
        select_kernel "$which"
        printf '%-4s %s %s (release %s) in %s\n' "$which" "$KPKG" "$KVERSION" "$KREL" "$KDIR"
    done
}

# ---------------------------------------------------------------------------------------
# Guest images
# ---------------------------------------------------------------------------------------

variant_kernel() {
    case $1 in
        stock|no-afalg|no-dmcrypt) echo new ;;
        old) echo old ;;
        *) die "unknown variant '$1' (stock, no-afalg, no-dmcrypt, old)" ;;
    esac
}

# Copies executable $2 into root $1 at $3/<name>, plus every library ldd lists.
copy_with_libs() {
    local root=$1 bin=$2 destdir=$3 lib
    [[ -f $bin ]] || die "no such file: $bin"
    install -D -m 0755 "$bin" "$root$destdir/$(basename "$bin")"
    if ldd "$bin" >/dev/null 2>&1; then
        while read -r lib; do
            [[ -e $root$lib ]] && continue
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
    fi
}

# awk reads all of ldconfig's output: exiting at the first match would kill ldconfig with
# SIGPIPE, and under pipefail the whole lab with status 141 (CI saw this on cold caches).
libgcc_path() {
    ldconfig -p | awk '/libgcc_s\.so\.1 \(libc6,x86-64\)/ && p == "" {p = $NF} END {print p}'
}

# Everything the base image depends on besides the kernel; part of the cache key.
image_recipe() {
    declare -f build_image_locked copy_with_libs
    printf '%s\n' "${PEER_TOOLS[@]}" "${MODULE_TREES[@]}"
    dpkg-query -W busybox-static cryptsetup-bin dmsetup util-linux e2fsprogs fio kcapi-tools \
        libc6 2>/dev/null || true
}

# Builds $1 (cpio) for kernel dir $KDIR / release $KREL and variant $2; called under lock.
build_image_locked() {
    local out=$1 variant=$2 root t0 tree tool path gcc
    [[ -s $out ]] && return 0
    t0=$(now_ms)
    root=$(mktemp -d "$LAB_CACHE/tmp.image.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$root'" EXIT  # runs in with_lock's subshell
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,proc,sys,dev,run,tmp,etc,lab,mnt}
    # busybox with every applet at its usual place (incl. /sbin/modprobe for autoloading)
    [[ -x /bin/busybox ]] || die "/bin/busybox missing (install busybox-static)"
    copy_with_libs "$root" /bin/busybox /bin
    while read -r path; do
        [[ $path == bin/busybox || -e $root/$path ]] && continue
        mkdir -p "$root/$(dirname "$path")"
        ln -s /bin/busybox "$root/$path"
    done < <(/bin/busybox --list-full)
    # modules
    local mods="lib/modules/$KREL"
    mkdir -p "$root/$mods"
    cp "$KDIR/$mods"/modules.{order,builtin,builtin.modinfo} "$root/$mods/"
    for tree in "${MODULE_TREES[@]}"; do
        if [[ -d $KDIR/$mods/$tree ]]; then
            mkdir -p "$root/$mods/$(dirname "$tree")"
            cp -a "$KDIR/$mods/$tree" "$root/$mods/$tree"
        fi
    done
    case $variant in
        no-afalg) find "$root/$mods" \( -name 'af_alg.ko*' -o -name 'algif_*.ko*' \) -delete ;;
        no-dmcrypt) find "$root/$mods" -name 'dm-crypt.ko*' -delete ;;
    esac
    depmod -b "$root" "$KREL"
    # peer tools
    for tool in "${PEER_TOOLS[@]}"; do
        path=$(command -v "$tool" || true)
        if [[ -z $path ]]; then
            note "warning: $tool not found on the host, not in the guest image"
            continue
        fi
        copy_with_libs "$root" "$(readlink -f "$path")" /usr/local/bin
        # keep the name the tool was found under (e.g. mkfs.ext4 -> mke2fs)
        if [[ $(basename "$(readlink -f "$path")") != "$tool" ]]; then
            ln -sf "$(basename "$(readlink -f "$path")")" "$root/usr/local/bin/$tool"
        fi
    done
    gcc=$(libgcc_path)
    [[ -n $gcc ]] || die "libgcc_s.so.1 not found on the host"
    mkdir -p "$root$(dirname "$gcc")"
    cp -L "$gcc" "$root$gcc"
    [[ -f /etc/mke2fs.conf ]] && cp /etc/mke2fs.conf "$root/etc/"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\ndisk:x:6:\n' >"$root/etc/group"
    printf '%s\n' "$variant" >"$root/etc/lab-variant"
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$out.tmp"
    mv "$out.tmp" "$out"
    note "built image $(basename "$out") ($(du -m "$out" | cut -f1) MiB) in $(( $(now_ms) - t0 ))ms"
}

# Sets KPKG.. (see select_kernel) and IMAGE for variant $1.
select_image() {
    local variant=$1 key
    select_kernel "$(variant_kernel "$variant")"
    key=$( { echo "$KPKG $KVERSION $variant"; image_recipe; } | sha256sum | cut -c1-12)
    mkdir -p "$LAB_CACHE/images"
    IMAGE="$LAB_CACHE/images/$KREL-$variant-$key.cpio"
    if [[ ! -s $IMAGE ]]; then
        with_lock "image-$variant" build_image_locked "$IMAGE" "$variant"
    fi
}

# Builds $1 (cpio) holding host tool $2 with its libraries; called under lock.
build_tool_locked() {
    local out=$1 tool=$2 root path
    [[ -s $out ]] && return 0
    root=$(mktemp -d "$LAB_CACHE/tmp.tool.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$root'" EXIT  # runs in with_lock's subshell
    path=$(command -v "$tool") || die "--tool $tool: not found on the host"
    copy_with_libs "$root" "$(readlink -f "$path")" /usr/local/bin
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$out.tmp"
    mv "$out.tmp" "$out"
}

# Prints the cached cpio of optional tool $1.
select_tool() {
    local tool=$1 key out
    [[ " ${OPTIONAL_TOOLS[*]} " == *" $tool "* ]] ||
        die "--tool $tool: not an optional tool (${OPTIONAL_TOOLS[*]}); use --bin PATH"
    key=$( { declare -f build_tool_locked copy_with_libs; ldd "$(command -v "$tool")";
             sha256sum "$(readlink -f "$(command -v "$tool")")"; } | sha256sum | cut -c1-12)
    mkdir -p "$LAB_CACHE/images"
    out="$LAB_CACHE/images/tool-$tool-$key.cpio"
    [[ -s $out ]] || with_lock "tool-$tool" build_tool_locked "$out" "$tool"
    echo "$out"
}

cmd_image() {
    local variant=stock
    while [[ $# -gt 0 ]]; do
        case $1 in
            --variant) variant=${2:?}; shift 2 ;;
            *) die "image: unknown argument '$1'" ;;
        esac
    done
    select_image "$variant"
    echo "$IMAGE"
}

# ---------------------------------------------------------------------------------------
# Boot
# ---------------------------------------------------------------------------------------

write_init() {
    cat >"$1" <<'EOF'
#!/bin/sh
# luksfit kernel lab guest init (generated by tests/vm/lab.sh)
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
. /lab/boot.env
if [ "${LAB_DISKS:-0}" -gt 0 ]; then
    modprobe virtio_pci && modprobe virtio_blk || echo "lab: cannot load virtio_blk"
    i=0
    while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi
cd /tmp
echo "lab: guest $(uname -r), variant $LAB_VARIANT, up $(cut -d' ' -f1 /proc/uptime) s"
sh -e /lab/scenario.sh </dev/null 2>&1
rc=$?
sync
if [ "$rc" -gt 127 ]; then echo "lab: scenario status $rc reported as 127"; rc=127; fi
echo "lab: guest up $(cut -d' ' -f1 /proc/uptime) s"
echo "@@lab-guest-status=$rc@@"
lab_probe exit "$rc"
echo "lab: lab_probe exit failed; powering off"
poweroff -f
EOF
    chmod 0755 "$1"
}

# For run --initrd: unpacks initrd $1 (the kernel rejects an uncompressed cpio appended to a
# compressed one) to $RUN_TMP/initrd-given.cpio, and prepares the extra root $2 so that it
# does not shadow the image's merged-/usr links (lib -> usr/lib) with directories.
prepare_given_initrd() {
    local given=$1 extra=$2 link listing
    case $(od -An -tx1 -N4 "$given" | tr -d ' ') in
        1f8b*) zcat "$given" >"$RUN_TMP/initrd-given.cpio" ;;
        28b52ffd) zstd -dcq "$given" >"$RUN_TMP/initrd-given.cpio" ;;
        *) cp "$given" "$RUN_TMP/initrd-given.cpio" ;;
    esac
    mkdir -p "$extra"/{proc,sys,dev,run,tmp,mnt,root}
    listing=$(cpio -itv --quiet <"$RUN_TMP/initrd-given.cpio" 2>/dev/null)
    for link in bin sbin lib lib64; do
        if grep -qE " $link -> usr/$link\$" <<<"$listing"; then
            mkdir -p "$extra/usr/$link"
            ln -s "usr/$link" "$extra/$link"
        fi
    done
}

QEMU_PID_FILE=
RUN_TMP=
cleanup_run() {
    local pid
    if [[ -n $QEMU_PID_FILE && -s $QEMU_PID_FILE ]]; then
        pid=$(cat "$QEMU_PID_FILE" 2>/dev/null || true)
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [[ -n ${QEMU_PID:-} ]]; then kill -KILL "$QEMU_PID" 2>/dev/null || true; fi
    [[ -n $RUN_TMP ]] && rm -rf "$RUN_TMP"
    return 0
}

cmd_run() {
    local variant=stock scenario='' timeout=120 logs=() bins=() disks=() envs=() tools=() arg
    local initrd=''
    while [[ $# -gt 0 ]]; do
        case $1 in
            --variant) variant=${2:?--variant needs a value}; shift 2 ;;
            --scenario) scenario=${2:?--scenario needs a file}; shift 2 ;;
            --disk) disks+=("${2:?--disk needs PATH[:SIZE]}"); shift 2 ;;
            --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
            --bin) bins+=("${2:?--bin needs a file}"); shift 2 ;;
            --tool) tools+=("${2:?--tool needs a name}"); shift 2 ;;
            --env) envs+=("${2:?--env needs NAME=VALUE}"); shift 2 ;;
            --log) logs+=("${2:?--log needs a file}"); shift 2 ;;
            --initrd) initrd=${2:?--initrd needs a file}; shift 2 ;;
            -h|--help) usage; exit 0 ;;
            *) die "run: unknown argument '$1'" ;;
        esac
    done
    [[ -n $scenario ]] || die "run: --scenario FILE is required"
    [[ -f $scenario ]] || die "run: no such scenario: $scenario"
    [[ $timeout =~ ^[0-9]+$ ]] || die "run: --timeout must be a number of seconds"
    local have_probe=0
    for arg in "${bins[@]}"; do [[ $(basename "$arg") == lab_probe ]] && have_probe=1; done
    (( have_probe )) ||
        die "run: pass --bin PATH/lab_probe (the guest reports its status with it; ninja builds it)"
    command -v "$QEMU" >/dev/null || skip "$QEMU not found"

    local t_prep t_boot
    t_prep=$(now_ms)
    if [[ -n $initrd ]]; then
        [[ -f $initrd ]] || die "run: no such initrd: $initrd"
        select_kernel "$(variant_kernel "$variant")"
        IMAGE=$(readlink -f "$initrd")  # decompressed below, once RUN_TMP exists
    else
        select_image "$variant"
    fi

    trap cleanup_run EXIT
    trap 'note "interrupted"; exit 130' INT
    trap 'note "terminated"; exit 143' TERM
    RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lab-run.XXXXXX")
    local extra="$RUN_TMP/extra"
    mkdir -p "$extra/lab" "$extra/usr/local/bin"
    if [[ -n $initrd ]]; then
        prepare_given_initrd "$IMAGE" "$extra"
        IMAGE=$RUN_TMP/initrd-given.cpio
    fi
    write_init "$extra/init"
    install -m 0644 "$scenario" "$extra/lab/scenario.sh"
    [[ -f $LAB_DIR/guest/lib.sh ]] && install -m 0644 "$LAB_DIR/guest/lib.sh" "$extra/lab/lib.sh"
    for arg in "${bins[@]}"; do copy_with_libs "$extra" "$(readlink -f "$arg")" /usr/local/bin; done
    {
        printf 'LAB_VARIANT=%q\nLAB_KERNEL_PACKAGE=%q\nLAB_KERNEL_VERSION=%q\nLAB_DISKS=%d\n' \
            "$variant" "$KPKG" "$KVERSION" "${#disks[@]}"
        printf 'LAB_KERNEL_NEW_PACKAGE=%q\nLAB_KERNEL_OLD_PACKAGE=%q\n' "$NEW_PKG" "$OLD_PKG"
        for arg in "${envs[@]}"; do
            [[ $arg =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "run: bad --env '$arg'"
            printf 'export %s=%q\n' "${arg%%=*}" "${arg#*=}"
        done
        echo 'export LAB_VARIANT LAB_KERNEL_PACKAGE LAB_KERNEL_VERSION LAB_DISKS'
        echo 'export LAB_KERNEL_NEW_PACKAGE LAB_KERNEL_OLD_PACKAGE'
    } >"$extra/lab/boot.env"
    (cd "$extra" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$RUN_TMP/extra.cpio"
    local parts=("$IMAGE")
    for arg in "${tools[@]}"; do parts+=("$(select_tool "$arg")"); done
    cat "${parts[@]}" "$RUN_TMP/extra.cpio" >"$RUN_TMP/initrd.cpio"

    # shellcheck disable=SC2054  # commas are qemu option syntax
    local qemu_args=(
        -nodefaults -no-user-config -machine pc -cpu max -smp 1 -m "$MEMORY"
        -display none -vga none -no-reboot
        -kernel "$KIMAGE" -initrd "$RUN_TMP/initrd.cpio"
        # no_timer_check: a loaded host (parallel TCG guests) otherwise makes the IO-APIC timer
        # check fail with "Kernel panic - IO-APIC + timer doesn't work"
        -append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init mitigations=off tsc=reliable no_timer_check"
        -chardev "stdio,id=con0,signal=off,logfile=$RUN_TMP/console.log"
        -serial chardev:con0
        -device isa-debug-exit,iobase=0xf4,iosize=0x04
        -pidfile "$RUN_TMP/qemu.pid"
    )
    local d path size
    for d in "${disks[@]}"; do
        path=${d%%:*}; size=256M
        [[ $d == *:* ]] && size=${d#*:}
        if [[ ! -e $path ]]; then
            mkdir -p "$(dirname "$path")"
            truncate -s "$size" "$path"
        fi
        qemu_args+=(-drive "file=$path,format=raw,if=virtio,cache=writeback")
    done
    QEMU_PID_FILE="$RUN_TMP/qemu.pid"

    note "variant $variant: $KPKG $KVERSION ($KREL), image $(basename "$IMAGE")," \
         "prepared in $(( $(now_ms) - t_prep ))ms; booting (timeout ${timeout}s)"
    t_boot=$(now_ms)
    local qrc=0 qpid timed_out=0 deadline=$(( t_boot + timeout * 1000 ))
    "$QEMU" "${qemu_args[@]}" </dev/null &
    qpid=$!
    QEMU_PID=$qpid
    while kill -0 "$qpid" 2>/dev/null; do
        if (( $(now_ms) > deadline )); then
            timed_out=1
            kill -KILL "$qpid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    wait "$qpid" || qrc=$?
    QEMU_PID=
    local elapsed=$(( $(now_ms) - t_boot ))
    for arg in "${logs[@]}"; do
        mkdir -p "$(dirname "$arg")"
        cp "$RUN_TMP/console.log" "$arg"
    done

    local marker
    marker=$(tr -d '\r' <"$RUN_TMP/console.log" | grep -o "${STATUS_MARKER}[0-9]*@@" | tail -n1 \
             | sed 's/[^0-9]//g' || true)
    echo
    if (( timed_out )); then
        note "FAIL: guest timed out after ${timeout} s (variant $variant, $scenario)"
        exit "$LAB_FAIL"
    fi
    if (( qrc % 2 == 0 )); then
        note "FAIL: qemu exited with $qrc without a status from the guest" \
             "(kernel panic, poweroff or qemu error; console marker: ${marker:-missing})"
        exit "$LAB_FAIL"
    fi
    local status=$(( (qrc - 1) / 2 ))
    if [[ -z $marker ]]; then
        note "FAIL: qemu reported guest status $status but the console has no status marker" \
             "(qemu error before boot?)"
        exit "$LAB_FAIL"
    fi
    if [[ $marker != "$status" ]]; then
        note "FAIL: guest status disagrees: console says $marker, isa-debug-exit says $status"
        exit "$LAB_FAIL"
    fi
    note "variant $variant: scenario $(basename "$scenario") exited $status;" \
         "boot+run ${elapsed}ms"
    exit "$status"
}

cmd_clean() {
    [[ -d $LAB_CACHE ]] && rm -rf "$LAB_CACHE"
    return 0
}

main() {
    local cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case $cmd in
        kernels) cmd_kernels "$@" ;;
        image) cmd_image "$@" ;;
        run) cmd_run "$@" ;;
        clean) cmd_clean ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
