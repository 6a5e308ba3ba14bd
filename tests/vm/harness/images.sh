# shellcheck shell=bash
# luksfit kernel lab, guest images: busybox, kernel modules and peer tools, plus optional
# tool archives, cached per recipe.
# Sourced by tests/vm/lab.sh, which defines the settings and die/note/skip/with_lock.

# The lab's variants and userlands (lab.sh --variant V --userland U).
LAB_VARIANTS=(stock no-afalg no-dmcrypt old)
LAB_USERLANDS=(bookworm unstable)

# resolve_target KERNEL_GIVEN VARIANT USERLAND: checks the combination and sets KNAME_WANTED
# (the lab kernel), VARIANT_MODS (which modules the variant drops: stock, no-afalg,
# no-dmcrypt). `--variant old` stays an alias of `--kernel 6.1-old --variant stock` (its
# guests still say "old" in /etc/lab-variant and LAB_VARIANT).
resolve_target() {
    local kernel=$1 variant=$2 userland=$3
    case $userland in
        bookworm|unstable) ;;
        *) die "unknown userland '$userland' (${LAB_USERLANDS[*]})" ;;
    esac
    case $variant in
        stock|no-afalg|no-dmcrypt) VARIANT_MODS=$variant; KNAME_WANTED=${kernel:-6.1} ;;
        old)
            [[ -z $kernel || $kernel == 6.1-old ]] ||
                die "--variant old is the 6.1-old kernel's stock variant; drop --kernel $kernel"
            VARIANT_MODS=stock; KNAME_WANTED=6.1-old ;;
        *) die "unknown variant '$variant' (${LAB_VARIANTS[*]})" ;;
    esac
    kernel_key "$KNAME_WANTED" >/dev/null
}

# copy_with_libs IMG BIN DESTDIR [SYSROOT]: BIN into IMG at DESTDIR/<name>, plus every library
# it needs at its path: the host's (ldd) or, with SYSROOT, the ones SYSROOT's own loader finds,
# copied from SYSROOT (root_libs).
copy_with_libs() {
    local img=$1 bin=$2 destdir=$3 sysroot=${4:-} lib
    [[ -f $bin ]] || die "no such file: $bin"
    install -D -m 0755 "$bin" "$img$destdir/$(basename "$bin")"
    while read -r lib; do
        [[ -e $img$lib ]] && continue
        mkdir -p "$img$(dirname "$lib")"
        cp -L "$sysroot$lib" "$img$lib"
    done < <(bin_libs "$bin" "$sysroot")
}

# bin_libs BIN [SYSROOT]: the libraries BIN loads (paths in SYSROOT, default the host); none
# for a static binary or a script.
bin_libs() {
    if [[ -n $2 ]]; then
        if is_dynamic "$1"; then root_libs "$2" "$1"; fi
    elif ldd "$1" >/dev/null 2>&1; then
        ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
    fi
}

# awk reads all of ldconfig's output: exiting at the first match would kill ldconfig with
# SIGPIPE, and under pipefail the whole lab with status 141 (CI saw this on cold caches).
libgcc_path() {
    ldconfig -p | awk '/libgcc_s\.so\.1 \(libc6,x86-64\)/ && p == "" {p = $NF} END {print p}'
}

# --- the unstable userland: tools and libraries from the unstable Debian root ---------------

# Sets UROOT: the ready unstable root (LAB_UNSTABLE_ROOT, else `tools/debian-root.sh path
# unstable`); skips when there is none.
unstable_root() {
    local msg
    if [[ -n ${LAB_UNSTABLE_ROOT:-} ]]; then
        UROOT=$LAB_UNSTABLE_ROOT
    elif ! UROOT=$("$REPO_DIR/tools/debian-root.sh" path unstable 2>"$LAB_CACHE/.root-path.err"); then
        msg=$(sed 's/^debian-root: //' "$LAB_CACHE/.root-path.err" | tail -n1)
        rm -f "$LAB_CACHE/.root-path.err"
        skip "userland unstable: no unstable Debian root (${msg:-tools/debian-root.sh path failed};" \
             "make it with tools/debian-root.sh make unstable)"
    fi
    rm -f "$LAB_CACHE/.root-path.err"
    [[ -x $UROOT/usr/bin/dpkg ]] || skip "userland unstable: $UROOT is not a Debian root"
}

# Skips unless the unstable build bundle ($UNSTABLE_BUNDLE) holds luksfit and its MANIFEST.
unstable_bundle() {
    [[ -x $UNSTABLE_BUNDLE/usr/bin/luksfit && -f $UNSTABLE_BUNDLE/MANIFEST ]] ||
        skip "userland unstable: no luksfit bundle in $UNSTABLE_BUNDLE" \
             "(tools/debian-root.sh build unstable; LAB_UNSTABLE_BUNDLE=DIR to use another)"
    # Its first line names the root it was built in: another root's libraries would travel
    # with luksfit (they would work, but the guest would hold two glibc builds).
    local built_in
    built_in=$(sed -n '1s/.*(root \(.*\)).*/\1/p' "$UNSTABLE_BUNDLE/MANIFEST")
    [[ -z ${UROOT:-} || $built_in == "$(basename "$UROOT")" ]] ||
        note "warning: the bundle was built in root ${built_in:-?}, the image's tools come from" \
             "$(basename "$UROOT"); rebuild it (tools/debian-root.sh build unstable)"
}

# root_realpath ROOT PATH: PATH (absolute, inside ROOT) with its symlinks resolved inside ROOT.
root_realpath() {
    local root=$1 p=$2 t _
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        if [[ ! -L $root$p ]]; then echo "$p"; return 0; fi
        t=$(readlink "$root$p")
        if [[ $t == /* ]]; then p=$t; else p=$(realpath -m -s "$(dirname "$p")/$t"); fi
    done
    die "symlink loop at $p in $root"
}

# root_libs ROOT FILE: the libraries FILE (a host path) loads, as paths inside ROOT, found by
# ROOT's own dynamic loader in ROOT's library folders (its ld.so.conf.d), never the host's.
root_libs() {
    local root=$1 file=$2 ldso dirs=() d out
    ldso=$root$(root_realpath "$root" /lib64/ld-linux-x86-64.so.2)
    [[ -x $ldso ]] || die "no dynamic loader /lib64/ld-linux-x86-64.so.2 in $root"
    while read -r d; do
        [[ $d == /* && -d $root$d ]] && dirs+=("$root$d")
    done < <(cat "$root"/etc/ld.so.conf.d/*.conf 2>/dev/null || true)
    for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib /lib; do
        [[ -d $root$d ]] && dirs+=("$root$d")
    done
    local IFS=:
    out=$("$ldso" --inhibit-cache --library-path "${dirs[*]}" --list "$file" 2>&1) ||
        die "$root's ld.so cannot list the libraries of $file: $out"
    unset IFS
    if grep -q 'not found' <<<"$out"; then die "libraries of $file missing in $root: $out"; fi
    # "name => ROOT/path (addr)" and the interpreter "/lib64/ld-linux-x86-64.so.2 (addr)"
    awk -v r="$root" '$2 == "=>" && index($3, r "/") == 1 {print substr($3, length(r) + 1)}
        $1 ~ /^\// {print $1}' <<<"$out"
}

# is_dynamic FILE: FILE is an ELF file with a program interpreter (not a script, not static).
is_dynamic() {
    readelf -lW "$1" 2>/dev/null | awk '/Requesting program interpreter/ {f = 1} END {exit !f}'
}

# The userland's tools: a PEER_TOOLS name to its path (host) or path inside the root.
userland_tool() {
    local userland=$1 tool=$2 d
    if [[ $userland == bookworm ]]; then
        command -v "$tool" || true
        return 0
    fi
    for d in /usr/sbin /usr/bin /sbin /bin; do
        if [[ -e $UROOT$d/$tool ]]; then echo "$d/$tool"; return 0; fi
    done
}

# Everything the base image depends on besides the kernel; part of the cache key.
image_recipe() {
    local userland=$1
    declare -f build_image_locked copy_with_libs bin_libs root_libs root_realpath \
        is_dynamic userland_tool
    printf '%s\n' "${PEER_TOOLS[@]}" "${MODULE_TREES[@]}"
    dpkg-query -W busybox-static 2>/dev/null || true
    if [[ $userland == bookworm ]]; then
        dpkg-query -W cryptsetup-bin dmsetup util-linux bsdutils e2fsprogs fio kcapi-tools \
            libc6 2>/dev/null || true
    else
        echo "$UROOT"
        dpkg-query --admindir="$UROOT/var/lib/dpkg" -W cryptsetup-bin dmsetup util-linux \
            bsdutils e2fsprogs libkcapi-tools kcapi-tools libc6 libgcc-s1 2>/dev/null || true
    fi
}

# Builds $1 (cpio) for kernel $KDIR / release $KREL, variant label $2 (what /etc/lab-variant
# says), module set $3 (stock, no-afalg, no-dmcrypt) and userland $4; called under lock.
build_image_locked() {
    local out=$1 variant=$2 mods_variant=$3 userland=$4 root t0 tree tool path real gcc f
    [[ -s $out ]] && return 0
    t0=$(now_ms)
    root=$(mktemp -d "$LAB_CACHE/tmp.image.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$root'" EXIT  # runs in with_lock's subshell
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,proc,sys,dev,run,tmp,etc,lab,mnt}
    # busybox (static) with every applet at its usual place (incl. /sbin/modprobe for autoloading)
    [[ -x /bin/busybox ]] || die "/bin/busybox missing (install busybox-static)"
    ! is_dynamic /bin/busybox || die "/bin/busybox is not static (install busybox-static)"
    install -m 0755 /bin/busybox "$root/bin/busybox"
    while read -r path; do
        [[ $path == bin/busybox || -e $root/$path ]] && continue
        mkdir -p "$root/$(dirname "$path")"
        ln -s /bin/busybox "$root/$path"
    done < <(/bin/busybox --list-full)
    # modules: at /lib/modules/REL whatever the package's layout; .ko.xz decompressed for
    # busybox's modprobe
    local mods="lib/modules/$KREL"
    mkdir -p "$root/$mods"
    for f in modules.order modules.builtin modules.builtin.modinfo; do
        [[ -f $KMODS/$f ]] && cp "$KMODS/$f" "$root/$mods/"
    done
    for tree in "${MODULE_TREES[@]}"; do
        if [[ -d $KMODS/$tree ]]; then
            mkdir -p "$root/$mods/$(dirname "$tree")"
            cp -a "$KMODS/$tree" "$root/$mods/$tree"
        fi
    done
    find "$root/$mods" -name '*.ko.xz' -exec xz -d {} +
    find "$root/$mods" -name '*.ko.zst' -exec zstd -dq --rm {} +
    case $mods_variant in
        no-afalg) find "$root/$mods" \( -name 'af_alg.ko*' -o -name 'algif_*.ko*' \) -delete ;;
        no-dmcrypt) find "$root/$mods" -name 'dm-crypt.ko*' -delete ;;
    esac
    depmod -b "$root" "$KREL"
    [[ -s $root/$mods/modules.dep ]] || die "depmod wrote no modules.dep for $KREL"
    # the kernel's config where the package has it (boot/config-REL; 7.x: usr/lib/modules/REL)
    install -D -m 0644 "$KDIR/$KCONFIG_REL" "$root/$KCONFIG_REL"
    # peer tools: the host's (bookworm) or the unstable root's, each with its own libraries
    for tool in "${PEER_TOOLS[@]}"; do
        path=$(userland_tool "$userland" "$tool")
        if [[ -z $path ]]; then
            note "warning: $tool not found in the $userland userland, not in the guest image"
            continue
        fi
        if [[ $userland == bookworm ]]; then
            real=$(readlink -f "$path")
            copy_with_libs "$root" "$real" /usr/local/bin
        else
            real=$(root_realpath "$UROOT" "$path")
            copy_with_libs "$root" "$UROOT$real" /usr/local/bin "$UROOT"
        fi
        # keep the name the tool was found under (e.g. mkfs.ext4 -> mke2fs)
        if [[ $(basename "$real") != "$tool" ]]; then
            ln -sf "$(basename "$real")" "$root/usr/local/bin/$tool"
        fi
    done
    # libgcc_s, which glibc loads for thread exit (cryptsetup's threads)
    if [[ $userland == bookworm ]]; then
        gcc=$(libgcc_path)
        [[ -n $gcc ]] || die "libgcc_s.so.1 not found on the host"
        mkdir -p "$root$(dirname "$gcc")"
        cp -L "$gcc" "$root$gcc"
        [[ -f /etc/mke2fs.conf ]] && cp /etc/mke2fs.conf "$root/etc/"
    else
        gcc=/usr/lib/x86_64-linux-gnu/libgcc_s.so.1
        [[ -e $UROOT$gcc ]] || die "$gcc not found in $UROOT"
        mkdir -p "$root$(dirname "$gcc")"
        cp -L "$UROOT$gcc" "$root$gcc"
        [[ -f $UROOT/etc/mke2fs.conf ]] && cp "$UROOT/etc/mke2fs.conf" "$root/etc/"
    fi
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\ndisk:x:6:\n' >"$root/etc/group"
    printf '%s\n' "$variant" >"$root/etc/lab-variant"
    printf '%s\n' "$userland" >"$root/etc/lab-userland"
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$out.tmp"
    mv "$out.tmp" "$out"
    note "built image $(basename "$out") ($(du -m "$out" | cut -f1) MiB) in $(( $(now_ms) - t0 ))ms"
}

# Sets KNAME KPKG.. (see select_kernel), IMAGE and USERLAND for kernel $1 (empty: the
# variant's default), variant $2 and userland $3.
select_image() {
    local kernel=$1 variant=$2 key
    USERLAND=$3
    resolve_target "$kernel" "$variant" "$USERLAND"
    select_kernel "$KNAME_WANTED"
    [[ $USERLAND == unstable ]] && unstable_root
    key=$( { echo "$KPKG $KVERSION $KPARTS $variant $VARIANT_MODS $USERLAND";
             image_recipe "$USERLAND"; } | sha256sum | cut -c1-12)
    mkdir -p "$LAB_CACHE/images"
    IMAGE="$LAB_CACHE/images/$KREL-$variant-$USERLAND-$key.cpio"
    if [[ ! -s $IMAGE ]]; then
        with_lock "image-$KNAME-$variant-$USERLAND" build_image_locked "$IMAGE" "$variant" \
            "$VARIANT_MODS" "$USERLAND"
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
    key=$( { declare -f build_tool_locked copy_with_libs bin_libs; ldd "$(command -v "$tool")";
             sha256sum "$(readlink -f "$(command -v "$tool")")"; } | sha256sum | cut -c1-12)
    mkdir -p "$LAB_CACHE/images"
    out="$LAB_CACHE/images/tool-$tool-$key.cpio"
    [[ -s $out ]] || with_lock "tool-$tool" build_tool_locked "$out" "$tool"
    echo "$out"
}

cmd_image() {
    local kernel='' variant=stock userland=bookworm
    while [[ $# -gt 0 ]]; do
        case $1 in
            --kernel) kernel=${2:?--kernel needs one of ${LAB_KERNELS[*]}}; shift 2 ;;
            --variant) variant=${2:?--variant needs a value}; shift 2 ;;
            --userland) userland=${2:?--userland needs bookworm or unstable}; shift 2 ;;
            *) die "image: unknown argument '$1'" ;;
        esac
    done
    select_image "$kernel" "$variant" "$userland"
    echo "$IMAGE"
}
