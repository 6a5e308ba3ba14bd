# shellcheck shell=bash
# luksfit kernel lab, guest images: busybox, kernel modules and peer tools, plus optional
# tool archives, cached per recipe.
# Sourced by tests/vm/lab.sh, which defines the settings and die/note/skip/with_lock.

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
    dpkg-query -W busybox-static cryptsetup-bin dmsetup util-linux bsdutils e2fsprogs fio kcapi-tools \
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
