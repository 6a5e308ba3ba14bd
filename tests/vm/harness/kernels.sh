# shellcheck shell=bash
# luksfit kernel lab, kernels: Debian cloud kernels resolved with apt-cache and fetched with
# apt-get download into the cache.
# Sourced by tests/vm/lab.sh, which defines the settings and die/note/skip/with_lock.

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
    # apt downloads as _apt when root: that user must be able to write here, else apt warns
    # "Download is performed unsandboxed as root".
    chmod 0755 "$tmp"
    if [[ $EUID -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
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
