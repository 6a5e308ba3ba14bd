#!/usr/bin/env python3
"""The layer rules of docs/architecture.md, checked against the build's own compile commands.

For one layer: takes the compile command of a source file of that layer's library from the
build's compile_commands.json (the real compiler, flags and include paths; only the source and
the output are replaced) and preprocesses one-line probe sources with it (-E: where includes
are resolved, so where the layer rules hold):

- a header of every layer: it must be found when the layer may use that layer, and fail with
  "no such file" naming the header when it may not (the per-layer include view);
- the main header of every C library the build knows: it must be found when the layer may use
  the library, and fail on the #error of its stand-in in src/forbidden/ when it may not.

A forbidden probe passes only if it fails for that reason, and the allowed probes (controls)
must pass with the same command, so the check cannot pass because the command is broken.
Prints one line per case; exit 1 names the cases that failed.

usage: layers.py COMPILE_COMMANDS_JSON SOURCE_ROOT LAYER
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

# Who may use whom, as docs/architecture.md states it (not read from src/meson.build, so that
# a loosened build is caught).
SEES = {
    "util": {"util"},
    "domain": {"util", "domain"},
    "system": {"util", "system"},
    "render": {"util", "domain", "render"},
    "flows": {"util", "domain", "system", "render", "flows"},
    "commands": {"util", "domain", "system", "render", "flows", "commands"},
    "cli": {"util", "domain", "system", "render", "flows", "commands", "cli"},
}
# The C libraries each layer may use: libcryptsetup and libblkid only in system/, CLI11 only
# in commands/ and cli/, nlohmann-json everywhere but util/.
LIBRARIES = {
    "libcryptsetup": ("libcryptsetup.h", {"system"}),
    "blkid": ("blkid/blkid.h", {"system"}),
    "cli11": ("CLI/CLI.hpp", {"commands", "cli"}),
    "nlohmann": ("nlohmann/json.hpp", set(SEES) - {"util"}),
}
# One header per layer, light and free of C library headers, standing for the whole layer.
HEADERS = {
    "util": "util/expected.hpp",
    "domain": "domain/cipher/cipher_spec.hpp",
    "system": "system/os/signals.hpp",
    "render": "render/context.hpp",
    "flows": "flows/host/host_probe.hpp",
    "commands": "commands/command.hpp",
    "cli": "cli/run.hpp",
}

# Arguments of the build's command that name its input, output or dependency file.
DROP_WITH_VALUE = {"-o", "-MQ", "-MF", "-MT"}
DROP = {"-c", "-MD", "-MMD"}
WRAPPERS = {"ccache", "sccache"}


def layer_command(db_path, layer):
    """The build's compile command of one source of LAYER's library, as (dir, argv, source)."""
    with open(db_path, encoding="utf-8") as f:
        entries = json.load(f)
    marker = f"/libluksfit_{layer}.a.p/"
    for e in entries:
        if marker in "/" + e["output"]:
            argv = e["arguments"] if "arguments" in e else shlex.split(e["command"])
            return e["directory"], argv, e["file"]
    return None


def probe_command(argv, source, probe):
    """ARGV with SOURCE replaced by PROBE, preprocessing only, no output or dependency file."""
    out, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if i == 0 and os.path.basename(a) in WRAPPERS:
            continue
        if a in DROP_WITH_VALUE:
            skip = True
            continue
        if a in DROP or a == source or a.startswith("-fdiagnostics-color"):
            continue
        out.append(a)
    # Preprocessing resolves every include and stops on #error: all the layer rules need.
    return out + ["-fdiagnostics-color=never", "-E", "-o", os.devnull, probe]


def cases(layer):
    """(name, include line, allowed?, (all of, one of): what the error says when refused)."""
    for other, header in HEADERS.items():
        yield (f"{layer} includes {other}/ ({header})", f'#include "{header}"',
               other in SEES[layer], ([header], ["No such file", "file not found"]))
    for lib, (header, users) in LIBRARIES.items():
        yield (f"{layer} includes <{header}> ({lib})", f"#include <{header}>",
               layer in users, (["#error", f"forbidden/{lib}/"], ["#error"]))


def run_case(directory, argv, source, include, tmp, index):
    probe = os.path.join(tmp, f"probe{index}.cpp")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(include + "\n")
    r = subprocess.run(probe_command(argv, source, probe), cwd=directory,
                       capture_output=True, text=True, check=False)
    return r.returncode, r.stderr


def refused_for(rc, err, reason):
    """The probe failed, and for the reason given (not, say, a broken command)."""
    every, some = reason
    return rc != 0 and all(r in err for r in every) and any(r in err for r in some)


def main():
    db_path, source_root, layer = sys.argv[1:4]
    if layer not in SEES:
        print(f"unknown layer '{layer}'")
        return 1
    src = os.path.join(source_root, "src")
    missing = [h for h in HEADERS.values() if not os.path.isfile(os.path.join(src, h))]
    if missing:
        print(f"probe headers gone from src/ (pick others in {__file__}): {', '.join(missing)}")
        return 1
    found = layer_command(db_path, layer)
    if not found:
        print(f"no compile command of libluksfit_{layer} in {db_path}")
        return 1
    directory, argv, source = found
    print(f"{layer}: the build's command for {source}, source replaced by each probe")
    failed = []
    with tempfile.TemporaryDirectory(prefix="luksfit-layers.") as tmp:
        for i, (name, include, allowed, reason) in enumerate(cases(layer)):
            rc, err = run_case(directory, argv, source, include, tmp, i)
            if allowed:
                good = rc == 0
                want = "accepted"
            else:
                good = refused_for(rc, err, reason)
                want = "refused"
            print(f"{'ok  ' if good else 'FAIL'} {name}: {want if good else 'expected ' + want}")
            if not good:
                failed.append(name)
                print("     " + "\n     ".join(err.strip().splitlines()[:6] or ["(accepted)"]))
    if failed:
        print(f"{len(failed)} case(s) failed: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
