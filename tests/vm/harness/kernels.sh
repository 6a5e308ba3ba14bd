# shellcheck shell=bash
# luksfit kernel lab, kernels: Debian cloud kernels resolved with apt-cache and fetched with
# apt-get download into the cache. 6.1 (oldest and newest) and 6.12 come from the host's apt;
# 7.x from Debian unstable, through a private apt state under $LAB_CACHE/apt-unstable (the
# system's apt configuration is never changed).
# Sourced by tests/vm/lab.sh, which defines the settings and die/note/skip/with_lock.

# The lab's kernels (lab.sh --kernel K) and the kernels.env prefix of each.
LAB_KERNELS=(6.1-old 6.1 6.12 7.2)
kernel_key() {
    case $1 in
        6.1-old) echo OLD ;;
        6.1) echo NEW ;;
        6.12) echo K612 ;;
        7.2) echo K72 ;;
        *) die "unknown kernel '$1' (${LAB_KERNELS[*]})" ;;
    esac
}

# The private apt state for unstable: sources list, lists and cache, all under the lab cache.
UNSTABLE_APT=$LAB_CACHE/apt-unstable
unstable_apt_opts() {
    printf '%s\n' -o "Dir::Etc::sourcelist=$UNSTABLE_APT/sources.list" \
        -o Dir::Etc::sourceparts=/nonexistent -o "Dir::State::Lists=$UNSTABLE_APT/lists" \
        -o "Dir::Cache=$UNSTABLE_APT/cache"
}

# apt_cmd SOURCE CMD ARGS...: apt-get/apt-cache with the host's state ("host") or the private
# unstable one ("unstable").
apt_cmd() {
    local source=$1 cmd=$2 opts=()
    shift 2
    [[ $source == unstable ]] && mapfile -t opts < <(unstable_apt_opts)
    "$cmd" "${opts[@]}" "$@"
}

# Updates the private unstable lists (once, or again with refresh=1); called under lock.
update_unstable_apt_locked() {
    local refresh=$1 mirror
    if [[ $refresh == 0 && -e $UNSTABLE_APT/.updated ]]; then return 0; fi
    mirror=${LAB_UNSTABLE_MIRROR:-$("$REPO_DIR/tools/debian-root.sh" mirror 2>/dev/null || true)}
    [[ -n $mirror ]] || mirror=http://deb.debian.org/debian
    mkdir -p "$UNSTABLE_APT/lists/partial" "$UNSTABLE_APT/cache/archives/partial"
    printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' \
        "$mirror" >"$UNSTABLE_APT/sources.list"
    rm -f "$UNSTABLE_APT/.updated"
    note "updating the private unstable apt lists from $mirror"
    apt_cmd unstable apt-get -q update >&2 ||
        skip "cannot update the unstable apt lists from $mirror (apt-get update failed)"
    touch "$UNSTABLE_APT/.updated"
}

pkg_version() {
    local source=$1 pkg=$2
    # awk reads all of its input: no SIGPIPE for apt-cache under pipefail.
    { apt_cmd "$source" apt-cache show --no-all-versions "$pkg" 2>/dev/null || true; } |
        awk '/^Version: / && v == "" {v = $2} END {print v}'
}

# newest_pkg SOURCE PREFIX REGEX: the newest package (sort -V) named PREFIX... matching REGEX.
newest_pkg() {
    apt_cmd "$1" apt-cache pkgnames "$2" 2>/dev/null | grep -E "$3" | sort -V |
        awk 'END {print}' || true
}

# kv_set KEY VALUE...: appends KEY=VALUE lines for $env_out.
kv_set() {
    while [[ $# -gt 1 ]]; do printf '%s=%s\n' "$1" "$2" >>"$env_out"; shift 2; done
}

# Resolves lab kernel $2 into $LAB_CACHE/kernels.env unless the file has it already ($1
# refresh=1: again); the other kernels' lines are kept. Called under lock.
resolve_kernels_locked() {
    local refresh=$1 k=$2 key env_file=$LAB_CACHE/kernels.env env_out list pkg ver source=host
    key=$(kernel_key "$k")
    if [[ $refresh == 0 ]] && grep -q "^${key}_PKG=." "$env_file" 2>/dev/null; then
        return 0
    fi
    env_out=$LAB_CACHE/kernels.env.tmp
    { grep -v "^${key}_" "$env_file" 2>/dev/null || true; } >"$env_out"
    case $k in
        6.1|6.1-old)
            list=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
                   grep -E "$KERNEL_PATTERN" | sort -V || true)
            if [[ $k == 6.1 ]]; then pkg=${LAB_KERNEL_NEW:-$(tail -n1 <<<"$list")}
            else pkg=${LAB_KERNEL_OLD:-$(head -n1 <<<"$list")}; fi
            [[ -n $pkg ]] || skip "apt-cache knows no linux-image-6.1.0-*-cloud-amd64-unsigned" \
                "(run 'apt-get update')"
            ;;
        6.12)
            pkg=${LAB_KERNEL_612:-$(newest_pkg host linux-image-6.12. "$KERNEL_PATTERN_612")}
            [[ -n $pkg ]] || skip "apt-cache knows no linux-image-6.12.*+deb12-cloud-amd64-unsigned" \
                "(bookworm-security or -updates in the host's apt sources?)"
            ;;
        7.2)
            source=unstable
            with_lock apt-unstable update_unstable_apt_locked "$refresh"
            pkg=${LAB_KERNEL_72:-$(newest_pkg unstable linux-image-7. "$KERNEL_PATTERN_7")}
            [[ -n $pkg ]] || skip "the unstable archive has no linux-image-7.*-cloud-amd64"
            ;;
    esac
    ver=$(pkg_version "$source" "$pkg")
    [[ -n $ver ]] || skip "apt-cache ($source) knows no package $pkg"
    kv_set "${key}_PKG" "$pkg" "${key}_VER" "$ver" "${key}_SOURCE" "$source"
    if [[ $k == 7.2 ]]; then
        # the meta package depends on the binary (vmlinuz), modules and base (config,
        # System.map, modules.order...) packages of its release
        local deps dep dver parts=()
        deps=$(apt_cmd unstable apt-cache depends "$pkg" 2>/dev/null |
               awk '$1 == "Depends:" && $2 ~ /^linux-(base|binary|modules)-[0-9]/ {print $2}' |
               sort -u)
        for dep in $deps; do
            dver=$(pkg_version unstable "$dep")
            [[ -n $dver ]] || die "apt-cache (unstable) has no version for $dep"
            parts+=("$dep=$dver")
        done
        [[ ${#parts[@]} -ge 2 ]] ||
            die "$pkg depends on no linux-{binary,modules,base}-* package (got: ${deps:-none})"
        kv_set "${key}_PARTS" "'${parts[*]}'"
    else
        kv_set "${key}_PARTS" "'$pkg=$ver'"
    fi
    mv "$env_out" "$env_file"
}

# Fetches the packages "$3" (words PKG=VER) into $LAB_CACHE/kernels/$1 from apt source $2,
# extracted into one tree; called under lock.
fetch_kernel_locked() {
    local name=$1 source=$2 dir="$LAB_CACHE/kernels/$1" t0 tmp deb part debs=()
    read -ra debs <<<"$3"
    [[ -e $dir/.complete ]] && return 0
    t0=$(now_ms)
    note "fetching ${debs[*]} ($source)"
    tmp=$(mktemp -d "$LAB_CACHE/tmp.fetch.XXXXXX")
    # apt downloads as _apt when root: that user must be able to write here, else apt warns
    # "Download is performed unsandboxed as root".
    chmod 0755 "$tmp"
    if [[ $EUID -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT  # runs in with_lock's subshell
    for part in "${debs[@]}"; do
        (cd "$tmp" && apt_cmd "$source" apt-get download -q "$part" >&2) ||
            skip "cannot fetch kernel: apt-get download $part ($source) failed"
    done
    mkdir -p "$tmp/root"
    for deb in "$tmp"/*.deb; do
        [[ -f $deb ]] || die "apt-get download produced no .deb for $name"
        dpkg-deb -x "$deb" "$tmp/root"
    done
    rm -rf "$dir"
    mkdir -p "$LAB_CACHE/kernels"
    mv "$tmp/root" "$dir"
    touch "$dir/.complete"
    note "fetched ${debs[*]} in $(( $(now_ms) - t0 ))ms"
}

# Sets KNAME KPKG KVERSION KPARTS KDIR KREL (kernel release) KIMAGE KMODS (module tree, host
# path) KMODS_REL (its path in the package: lib/modules/REL or usr/lib/modules/REL) and
# KCONFIG_REL (the config's path in the package) for lab kernel $1 (6.1-old 6.1 6.12 7.2).
select_kernel() {
    local key
    KNAME=$1
    key=$(kernel_key "$KNAME")
    mkdir -p "$LAB_CACHE"
    with_lock kernels resolve_kernels_locked 0 "$KNAME"
    # shellcheck disable=SC1091
    . "$LAB_CACHE/kernels.env"
    local pkg_var=${key}_PKG ver_var=${key}_VER parts_var=${key}_PARTS source_var=${key}_SOURCE
    KPKG=${!pkg_var}; KVERSION=${!ver_var}; KPARTS=${!parts_var:-$KPKG=$KVERSION}
    local source=${!source_var:-host}
    KDIR="$LAB_CACHE/kernels/${KPKG}_$KVERSION"
    if [[ ! -e $KDIR/.complete ]]; then
        with_lock kernels fetch_kernel_locked "$(basename "$KDIR")" "$source" "$KPARTS"
    fi
    local sub
    for sub in lib/modules usr/lib/modules; do
        KREL=$(find "$KDIR/$sub" -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null || true)
        if [[ -n $KREL ]]; then KREL=$(basename "$KREL"); KMODS_REL=$sub/$KREL; break; fi
    done
    [[ -n $KREL ]] || die "no module tree in $KDIR"
    KMODS=$KDIR/$KMODS_REL
    KIMAGE="$KDIR/boot/vmlinuz-$KREL"
    [[ -f $KIMAGE ]] || KIMAGE=$KMODS/vmlinuz
    [[ -f $KIMAGE ]] || die "no kernel image in $KDIR (boot/vmlinuz-$KREL, $KMODS_REL/vmlinuz)"
    KCONFIG_REL=boot/config-$KREL
    [[ -f $KDIR/$KCONFIG_REL ]] || KCONFIG_REL=$KMODS_REL/config
    [[ -f $KDIR/$KCONFIG_REL ]] || die "no kernel config in $KDIR"
}

# kernels_line K: resolves and fetches lab kernel K, prints what it is. The 6.1 lines start
# with their role, old or new (LAB_KERNEL_OLD/NEW; tests/host/initramfs.sh reads "new").
kernels_line() {
    local k=$1 role='' part parts=()
    select_kernel "$k"
    case $k in 6.1-old) role=old ;; 6.1) role=new ;; esac
    printf '%-4s %-7s %s %s (release %s) in %s\n' "$role" "$k" "$KPKG" "$KVERSION" "$KREL" "$KDIR"
    if [[ $KPARTS != "$KPKG=$KVERSION" ]]; then
        read -ra parts <<<"$KPARTS"
        for part in "${parts[@]}"; do
            printf '%-12s package %s %s\n' '' "${part%%=*}" "${part#*=}"
        done
    fi
}

# lab.sh kernels [--refresh] [--kernel K]...: every lab kernel (or each K). The 6.1 ones must
# be there; 6.12 and 7.2 that cannot be had here are said so (exit 0) unless LAB_REQUIRE=1.
cmd_kernels() {
    local refresh=0 k rc only=()
    while [[ $# -gt 0 ]]; do
        case $1 in
            --refresh) refresh=1; shift ;;
            --kernel) only+=("${2:?--kernel needs a kernel}"); shift 2 ;;
            *) die "kernels: unknown option $1" ;;
        esac
    done
    for k in "${only[@]}"; do
        [[ " ${LAB_KERNELS[*]} " == *" $k "* ]] || die "kernels: unknown kernel $k"
    done
    [[ ${#only[@]} -gt 0 ]] || only=("${LAB_KERNELS[@]}")
    mkdir -p "$LAB_CACHE"
    for k in "${only[@]}"; do
        # a subshell per kernel: skip and die end it with their status, not the command
        set +e
        (
            set -e
            with_lock kernels resolve_kernels_locked "$refresh" "$k"
            kernels_line "$k"
        )
        rc=$?
        set -e
        if [[ $rc -ne 0 ]]; then
            [[ $rc -eq $LAB_SKIP && $k != 6.1* ]] || exit "$rc"
            note "kernel $k is not available here (see above); the tests that boot it skip"
        fi
    done
}
