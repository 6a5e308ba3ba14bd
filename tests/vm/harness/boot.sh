# shellcheck shell=bash
# luksfit kernel lab, one boot: the guest initramfs (base image, scenario, binaries), qemu
# and the guest's exit status.
# Sourced by tests/vm/lab.sh, which defines the settings and die/note/skip/with_lock.

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

# Writes the guest's /lab/boot.env: who the guest is, and the scenario's --env settings.
write_boot_env() {
    local out=$1 arg
    {
        printf 'LAB_VARIANT=%q\nLAB_KERNEL_PACKAGE=%q\nLAB_KERNEL_VERSION=%q\nLAB_DISKS=%d\n' \
            "$variant" "$KPKG" "$KVERSION" "${#disks[@]}"
        printf 'LAB_KERNEL=%q\nLAB_USERLAND=%q\n' "$KNAME" "$userland"
        printf 'LAB_KERNEL_NEW_PACKAGE=%q\nLAB_KERNEL_OLD_PACKAGE=%q\n' "${NEW_PKG:-}" "${OLD_PKG:-}"
        for arg in "${envs[@]}"; do
            [[ $arg =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "run: bad --env '$arg'"
            printf 'export %s=%q\n' "${arg%%=*}" "${arg#*=}"
        done
        echo 'export LAB_VARIANT LAB_KERNEL_PACKAGE LAB_KERNEL_VERSION LAB_DISKS'
        echo 'export LAB_KERNEL LAB_USERLAND'
        echo 'export LAB_KERNEL_NEW_PACKAGE LAB_KERNEL_OLD_PACKAGE'
    } >"$out"
}

# Builds $RUN_TMP/initrd.cpio: the base image ($IMAGE), optional tools, then an extra cpio
# with /init, the scenario, the guest helpers, the binaries under test, the --file SRC:/DEST
# files (mode 0644 at DEST, folders made) and boot.env.
assemble_initrd() {
    local extra="$RUN_TMP/extra" arg
    mkdir -p "$extra/lab" "$extra/usr/local/bin"
    if [[ -n $initrd ]]; then
        prepare_given_initrd "$IMAGE" "$extra"
        IMAGE=$RUN_TMP/initrd-given.cpio
    fi
    install -m 0755 "$LAB_DIR/guest/init.sh" "$extra/init"
    install -m 0644 "$scenario" "$extra/lab/scenario.sh"
    install -m 0644 "$LAB_DIR/guest/lib.sh" "$extra/lab/lib.sh"
    for arg in "${bins[@]}"; do
        if [[ $userland == bookworm ]]; then
            copy_with_libs "$extra" "$(readlink -f "$arg")" /usr/local/bin
        elif [[ $(basename "$arg") == luksfit ]]; then
            # luksfit of the unstable root's build, with its library closure from the bundle
            note "userland unstable: luksfit from $UNSTABLE_BUNDLE instead of $arg"
            (cd "$UNSTABLE_BUNDLE" && find . -type f ! -name MANIFEST ! -path ./usr/bin/luksfit |
                cpio -pdm --quiet "$extra")
            install -m 0755 "$UNSTABLE_BUNDLE/usr/bin/luksfit" "$extra/usr/local/bin/luksfit"
        else
            copy_with_libs "$extra" "$(readlink -f "$arg")" /usr/local/bin "$UROOT"
        fi
    done
    for arg in "${files[@]}"; do install -D -m 0644 "${arg%%:*}" "$extra${arg#*:}"; done
    write_boot_env "$extra/lab/boot.env"
    (cd "$extra" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$RUN_TMP/extra.cpio"
    local parts=("$IMAGE")
    for arg in "${tools[@]}"; do
        [[ $userland == bookworm ]] || die "run: --tool $arg exists only in the bookworm userland"
        parts+=("$(select_tool "$arg")")
    done
    cat "${parts[@]}" "$RUN_TMP/extra.cpio" >"$RUN_TMP/initrd.cpio"
}

# Sets qemu_args (declared by the caller), creating missing --disk images (sparse).
qemu_arguments() {
    # shellcheck disable=SC2054  # commas are qemu option syntax
    qemu_args=(
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
}

# Runs qemu until it exits or $timeout passes; sets qrc (qemu's status) and timed_out.
run_qemu() {
    local qpid deadline=$(( $(now_ms) + timeout * 1000 ))
    qrc=0 timed_out=0
    QEMU_PID_FILE="$RUN_TMP/qemu.pid"
    "$QEMU" "$@" </dev/null &
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
}

# Exits with the guest scenario's status, or $LAB_FAIL when the boot gave no trustworthy one:
# isa-debug-exit (qemu status 2*s+1) and the console marker must both be there and agree.
exit_with_guest_status() {
    local elapsed=$1 marker status
    # tail and sed read all their input: no SIGPIPE under pipefail.
    marker=$(tr -d '\r' <"$RUN_TMP/console.log" | grep -o "${STATUS_MARKER}[0-9]*@@" | tail -n1 \
             | sed 's/[^0-9]//g' || true)
    echo
    if (( timed_out )); then
        note "FAIL: guest timed out after ${timeout} s (kernel $KNAME, variant $variant," \
             "userland $userland, $scenario)"
        exit "$LAB_FAIL"
    fi
    if (( qrc % 2 == 0 )); then
        note "FAIL: qemu exited with $qrc without a status from the guest" \
             "(kernel panic, poweroff or qemu error; console marker: ${marker:-missing})"
        exit "$LAB_FAIL"
    fi
    status=$(( (qrc - 1) / 2 ))
    if [[ -z $marker ]]; then
        note "FAIL: qemu reported guest status $status but the console has no status marker" \
             "(qemu error before boot?)"
        exit "$LAB_FAIL"
    fi
    if [[ $marker != "$status" ]]; then
        note "FAIL: guest status disagrees: console says $marker, isa-debug-exit says $status"
        exit "$LAB_FAIL"
    fi
    note "kernel $KNAME, variant $variant, userland $userland:" \
         "scenario $(basename "$scenario") exited $status;" \
         "boot+run ${elapsed}ms"
    exit "$status"
}

cmd_run() {
    local variant=stock scenario='' timeout=120 logs=() bins=() disks=() envs=() tools=() arg
    local initrd='' files=() kernel='' userland=bookworm
    while [[ $# -gt 0 ]]; do
        case $1 in
            --kernel) kernel=${2:?--kernel needs one of ${LAB_KERNELS[*]}}; shift 2 ;;
            --userland) userland=${2:?--userland needs bookworm or unstable}; shift 2 ;;
            --variant) variant=${2:?--variant needs a value}; shift 2 ;;
            --scenario) scenario=${2:?--scenario needs a file}; shift 2 ;;
            --disk) disks+=("${2:?--disk needs PATH[:SIZE]}"); shift 2 ;;
            --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
            --bin) bins+=("${2:?--bin needs a file}"); shift 2 ;;
            --file) files+=("${2:?--file needs SRC:/DEST}"); shift 2 ;;
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
    for arg in "${files[@]}"; do
        [[ $arg =~ ^[^:]+:/[^:]*[^:/]$ ]] || die "run: --file needs SRC:/DEST (a file), got '$arg'"
        [[ -f ${arg%%:*} ]] || die "run: --file: no such file: ${arg%%:*}"
    done
    local have_probe=0
    for arg in "${bins[@]}"; do [[ $(basename "$arg") == lab_probe ]] && have_probe=1; done
    (( have_probe )) ||
        die "run: pass --bin PATH/lab_probe (the guest reports its status with it; ninja builds it)"
    command -v "$QEMU" >/dev/null || skip "$QEMU not found"

    local t_prep t_boot
    t_prep=$(now_ms)
    if [[ -n $initrd ]]; then
        [[ -f $initrd ]] || die "run: no such initrd: $initrd"
        [[ $userland == bookworm ]] || die "run: --initrd boots the bookworm userland only"
        resolve_target "$kernel" "$variant" "$userland"
        select_kernel "$KNAME_WANTED"
        IMAGE=$(readlink -f "$initrd")  # decompressed by assemble_initrd, once RUN_TMP exists
    else
        select_image "$kernel" "$variant" "$userland"
    fi
    [[ $userland == unstable ]] && unstable_bundle

    trap cleanup_run EXIT
    trap 'note "interrupted"; exit 130' INT
    trap 'note "terminated"; exit 143' TERM
    RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lab-run.XXXXXX")
    assemble_initrd
    local qemu_args=()
    qemu_arguments

    note "kernel $KNAME, variant $variant, userland $userland: $KPKG $KVERSION ($KREL)," \
         "image $(basename "$IMAGE")," \
         "prepared in $(( $(now_ms) - t_prep ))ms; booting (timeout ${timeout}s)"
    t_boot=$(now_ms)
    local qrc timed_out
    run_qemu "${qemu_args[@]}"
    for arg in "${logs[@]}"; do
        mkdir -p "$(dirname "$arg")"
        cp "$RUN_TMP/console.log" "$arg"
    done
    exit_with_guest_status "$(( $(now_ms) - t_boot ))"
}
