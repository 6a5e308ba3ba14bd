#!/usr/bin/env python3
"""Turns the @@peer lines of bench/peer-bench-guest.sh into peer-bench.json, a Markdown table
and the data file of the gnuplot plot.
Usage: peer-report.py TSV OUTDIR KERNEL [HOST_LOAD_START HOST_LOAD_END]
(the host's 1-minute load averages around the run: the guest is emulated, so a busy host skews
it)."""
import json
import statistics
import sys
from collections import defaultdict

tsv, outdir, kernel = sys.argv[1], sys.argv[2], sys.argv[3]
load = [float(x) for x in sys.argv[4:6]]
rows = [line.split() for line in open(tsv) if line.strip()]
by = defaultdict(lambda: defaultdict(list))  # kind -> label -> [(enc, dec)]
wall, recs, full, variants = [], [], defaultdict(dict), []
for r in rows:
    kind = r[0]
    if kind in ("cs", "lf-afalg", "lf-afalg-copy", "lf-afalg-splice", "fio", "lf-dmcrypt"):
        if r[1] == "0":
            continue  # round 0 is the warm-up (see peer-bench-guest.sh)
        by[kind][r[2]].append((float(r[3]), float(r[4])))
    elif kind == "wall":
        wall.append((float(r[2]), float(r[3]), int(r[4])))
    elif kind == "recommend":
        recs.append({"choice": r[2], "runner_up": r[3], "runner_up_status": r[4]})
    elif kind in ("full-afalg", "full-dmcrypt"):
        full[kind][r[1]] = (float(r[2]), float(r[3]), r[4] if len(r) > 4 else "")
    elif kind == "variant":
        variants.append({"label": r[1], "encrypt": float(r[2]), "decrypt": float(r[3])})


def med(pairs, i):
    return statistics.median(p[i] for p in pairs)


def compare(kind_peer, kind_lf, tolerance):
    out = []
    for label, peer in by[kind_peer].items():
        lf = by[kind_lf].get(label)
        if not lf:
            continue
        e = {"label": label, "rounds": len(peer)}
        for i, d in ((0, "encrypt"), (1, "decrypt")):
            e[d] = {"peer": med(peer, i), "luksfit": med(lf, i), "ratio": med(lf, i) / med(peer, i),
                    "peer_samples": [p[i] for p in peer], "luksfit_samples": [p[i] for p in lf]}
        e["within_target"] = all(abs(e[d]["ratio"] - 1) <= tolerance for d in ("encrypt", "decrypt"))
        out.append(e)
    return out


afalg = compare("cs", "lf-afalg", 0.10)
dm = compare("fio", "lf-dmcrypt", 0.15)
splice = compare("lf-afalg-copy", "lf-afalg-splice", 0.10)
w = {"cryptsetup_s": statistics.median(x[0] for x in wall),
     "luksfit_s": statistics.median(x[1] for x in wall),
     "luksfit_rounds": [x[2] for x in wall], "samples": wall}
w["ratio"] = w["luksfit_s"] / w["cryptsetup_s"]
w["within_target"] = w["ratio"] <= 0.25
separated = [r for r in recs if r["runner_up_status"] == "slower"]
stab = {"runs": recs, "choices": sorted({r["choice"] for r in recs}),
        "separated_runs": len(separated),
        "separated_choices": sorted({r["choice"] for r in separated})}
stab["within_target"] = len(stab["separated_choices"]) <= 1
doc = {"kernel": kernel, "host_load_average": {"start": load[0], "end": load[1]} if load else None,
       "afalg_vs_cryptsetup": afalg, "ranking_wall_time": w,
       "dmcrypt_vs_fio": dm, "splice_vs_copy": splice, "recommend_stability": stab,
       "full_runs": {k: {l: {"encrypt": v[0], "decrypt": v[1], "driver": v[2]}
                         for l, v in d.items()} for k, d in full.items()},
       "dmcrypt_variants": variants}
json.dump(doc, open(f"{outdir}/peer-bench.json", "w"), indent=1)

yes = lambda b: "yes" if b else "**no**"
rounds = max((e["rounds"] for e in afalg), default=0)
md = [f"Kernel lab, guest `{kernel}` (qemu TCG: only ratios mean anything). MiB/s medians of "
      f"{rounds} rounds after a warm-up round."
      + (f" Host load average (1 min): {load[0]:.2f} at the start, {load[1]:.2f} at the end." if load else ""),
      "",
      "### 1. `cryptsetup benchmark` vs `luksfit bench --engine afalg` (target: ratio 0.90-1.10)", "",
      "| candidate | cryptsetup enc | luksfit enc | ratio | cryptsetup dec | luksfit dec | ratio | in target |",
      "|---|---:|---:|---:|---:|---:|---:|:-:|"]
for e in afalg:
    md.append(f"| {e['label']} | {e['encrypt']['peer']:.1f} | {e['encrypt']['luksfit']:.1f} | "
              f"{e['encrypt']['ratio']:.2f} | {e['decrypt']['peer']:.1f} | {e['decrypt']['luksfit']:.1f} | "
              f"{e['decrypt']['ratio']:.2f} | {yes(e['within_target'])} |")
md += ["", "### Wall time of ranking the default set (target: luksfit <= 0.25 x cryptsetup)", "",
       "| cryptsetup (6 x benchmark) | luksfit bench --engine afalg | ratio | rounds | in target |",
       "|---:|---:|---:|---|:-:|",
       f"| {w['cryptsetup_s']:.1f} s | {w['luksfit_s']:.1f} s | {w['ratio']:.2f} | "
       f"{','.join(map(str, w['luksfit_rounds']))} | {yes(w['within_target'])} |", "",
       "### 2. `fio` (O_DIRECT, 256 KiB, psync, 4 jobs) on a plain dm-crypt mapping vs "
       "`luksfit bench --engine dmcrypt` (target: ratio 0.85-1.15)", "",
       "| candidate | fio write | luksfit enc | ratio | fio read | luksfit dec | ratio | in target |",
       "|---|---:|---:|---:|---:|---:|---:|:-:|"]
for e in dm:
    md.append(f"| {e['label']} | {e['encrypt']['peer']:.1f} | {e['encrypt']['luksfit']:.1f} | "
              f"{e['encrypt']['ratio']:.2f} | {e['decrypt']['peer']:.1f} | {e['decrypt']['luksfit']:.1f} | "
              f"{e['decrypt']['ratio']:.2f} | {yes(e['within_target'])} |")
md += ["", "### AF_ALG splice path vs copy path (luksfit, same run)", "",
       "| candidate | copy enc | splice enc | ratio | copy dec | splice dec | ratio |",
       "|---|---:|---:|---:|---:|---:|---:|"]
for e in splice:
    md.append(f"| {e['label']} | {e['encrypt']['peer']:.1f} | {e['encrypt']['luksfit']:.1f} | "
              f"{e['encrypt']['ratio']:.2f} | {e['decrypt']['peer']:.1f} | {e['decrypt']['luksfit']:.1f} | "
              f"{e['decrypt']['ratio']:.2f} |")
md += ["", "### 3. Ranking stability: 10 x `luksfit recommend --engine afalg`", "",
       "Top choices: " + ", ".join(
           f"`{c}` in {sum(r['choice'] == c for r in recs)} of {len(recs)} runs" for c in stab["choices"]) + ". "
       f"Runs where the runner-up was slower beyond the noise: {stab['separated_runs']}, "
       f"their top choices: {', '.join(stab['separated_choices']) or '-'}; "
       f"in target: {yes(stab['within_target'])}."]
open(f"{outdir}/peer-bench.md", "w").write("\n".join(md) + "\n")

cs = {e["label"]: e for e in afalg}
with open(f"{outdir}/throughput.dat", "w") as f:
    f.write("# label cs_enc lf_afalg_enc lf_dmcrypt_enc cs_dec lf_afalg_dec lf_dmcrypt_dec\n")
    for label, (ae, ad, _) in full.get("full-afalg", {}).items():
        c = cs.get(label)
        de, dd, _ = full.get("full-dmcrypt", {}).get(label, (0, 0, ""))
        f.write(f"\"{label.replace('-plain64', '')}\" {c['encrypt']['peer'] if c else 0:.1f} {ae:.1f} "
                f"{de:.1f} {c['decrypt']['peer'] if c else 0:.1f} {ad:.1f} {dd:.1f}\n")
