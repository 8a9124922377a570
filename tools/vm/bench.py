#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py OUTDIR KERNEL...

Turns the benchmark's JSON (OUTDIR/KERNEL.json, from tools/bench/sgdemo_bench)
into a text table per kernel (OUTDIR/KERNEL.txt), one Markdown page with
every kernel side by side (OUTDIR/bench.md), and a plot of the ratios
(OUTDIR/bench.png, drawn by gnuplot): sgdemo over vgem for each shared
operation, the fill over the memset limit, and owned acquire + release over
PRIME export + import + close. A ratio of 1.0 is parity.

Where OUTDIR/KERNEL-SETUP.dma.json exist (sgdemo_bench -D, once a DMA
setup), a table of the setups side by side follows: each operation under
direct, swiotlb and iommu, with its ratio to direct."""
import json
import os
import subprocess
import sys


def fmt(value, unit):
    if unit == "GB/s":
        return f"{value:.2f} GB/s"
    return f"{value:,.0f} ops/s"


def text_table(r):
    lines = [f"kernel {r['kernel']}: {r['reps']} repetitions, medians, "
             f"each at least {r['min_time']} s; {r['cpus']} vCPU, {r['memory_mib']} MiB",
             "",
             f"{'operation':48} {'sgdemo':>16} {'vgem':>16} {'sgdemo/vgem':>12}"]
    for op in r["shared"]:
        lines.append(f"{op['op']:48} {fmt(op['sgdemo'], op['unit']):>16} "
                     f"{fmt(op['vgem'], op['unit']):>16} {op['ratio']:>12.2f}")
    lines.append("")
    for op in r["sgdemo"] + r["limit"]:
        lines.append(f"{op['op']:48} {fmt(op['value'], op['unit']):>16}")
    seg = r["segments"]
    lines += ["",
              f"{seg['size'] >> 20} MiB object: {seg['pages']} pages in "
              f"{seg['contiguous_runs']} physically contiguous runs; its table has "
              f"{seg['orig_nents']} segments, {seg['nents']} once DMA-mapped",
              f"page faults of one big fill: sgdemo {r['faults']['sgdemo']}, "
              f"vgem {r['faults']['vgem']}, anonymous memory {r['faults']['anonymous']}",
              f"fill / memset limit (new memory): {r['fill_over_limit']:.2f}",
              f"owned acquire + release / export + import into vgem + close (2 MiB): "
              f"{r['owned_over_prime']:.2f}"]
    return "\n".join(lines) + "\n"


def markdown(results):
    ks = list(results)
    head = "| operation | " + " | ".join(f"sgdemo ({k}) | vgem ({k}) | ratio ({k})" for k in ks) + " |"
    out = [head, "|---|" + "---:|" * (3 * len(ks))]
    for i, op in enumerate(results[ks[0]]["shared"]):
        cells = []
        for k in ks:
            o = results[k]["shared"][i]
            cells += [fmt(o["sgdemo"], o["unit"]), fmt(o["vgem"], o["unit"]),
                      f"**{o['ratio']:.2f}**"]
        out.append(f"| {op['op']} | " + " | ".join(cells) + " |")
    out += ["", "| sgdemo alone, and the limit | " + " | ".join(ks) + " |",
            "|---|" + "---:|" * len(ks)]
    for i, op in enumerate(results[ks[0]]["sgdemo"] + results[ks[0]]["limit"]):
        cells = [fmt((results[k]["sgdemo"] + results[k]["limit"])[i]["value"], op["unit"])
                 for k in ks]
        out.append(f"| {op['op']} | " + " | ".join(cells) + " |")
    rows = [("fill / memset limit (new memory)", "fill_over_limit"),
            ("owned acquire + release / export + import into vgem + close, 2 MiB",
             "owned_over_prime")]
    for name, key in rows:
        out.append(f"| {name} | " + " | ".join(f"**{results[k][key]:.2f}**" for k in ks) + " |")
    out.append("| page faults of one big fill: sgdemo / vgem / anonymous | " +
               " | ".join(f"{results[k]['faults']['sgdemo']} / {results[k]['faults']['vgem']} / "
                          f"{results[k]['faults']['anonymous']}" for k in ks) + " |")
    out.append("| contiguous runs / table segments / DMA segments of the big object | " +
               " | ".join(f"{results[k]['segments']['contiguous_runs']} / "
                          f"{results[k]['segments']['orig_nents']} / "
                          f"{results[k]['segments']['nents']}" for k in ks) + " |")
    return "\n".join(out) + "\n"


SETUPS = ("direct", "swiotlb", "iommu")


def reference(ops):
    """The reference figure of a setup's run (1.0 in runs without one)."""
    for op in ops:
        if op["op"].startswith("reference"):
            return op["value"]
    return 1.0


def setups_markdown(outdir, kernels):
    """The DMA setups side by side, per kernel; empty without their runs."""
    out = []
    for k in kernels:
        runs = {}
        for setup in SETUPS:
            path = os.path.join(outdir, f"{k}-{setup}.dma.json")
            if os.path.exists(path):
                with open(path) as f:
                    runs[setup] = json.load(f)
        if "direct" not in runs:
            continue
        setups = [s for s in SETUPS if s in runs]
        big = runs["direct"]["big"] >> 20
        refs = {s: reference(runs[s]["dma"]) for s in setups}
        out += ["", f"DMA setups, kernel {k} (engine=device in swiotlb and iommu; iommu on "
                f"the PCI device; big = {big} MiB). Each setup is a guest of its own: "
                "a ratio is the setup's figure over direct's, each first divided by "
                "its own guest's reference (memset into touched anonymous memory, "
                "which no setup changes).", "",
                "| operation | " + " | ".join(setups) + " | " +
                " | ".join(f"{s} / direct" for s in setups[1:]) + " |",
                "|---|" + "---:|" * (2 * len(setups) - 1)]
        for i, op in enumerate(runs["direct"]["dma"]):
            vals = [runs[s]["dma"][i]["value"] for s in setups]
            cells = [fmt(v, op["unit"]) for v in vals]
            if not op["op"].startswith("reference"):
                base = vals[0] / refs[setups[0]]
                cells += [f"**{v / refs[s] / base:.2f}**" for s, v in zip(setups[1:], vals[1:])]
            else:
                cells += [f"{v / vals[0]:.2f}" for v in vals[1:]]
            out.append(f"| {op['op'].replace(' big', f' {big} MiB')} | " + " | ".join(cells) + " |")
    return "\n".join(out) + ("\n" if out else "")


def plot(outdir, results):
    ks = list(results)
    first = results[ks[0]]
    short = {"create + mmap + fill + close": "fill", "PRIME export + self-import": "self-import",
             "PRIME export + import into the other + close": "export to the other",
             "cross-import + first map": "cross-import + map"}
    labels = []
    for op in first["shared"]:
        label = op["op"].replace(" big", f" {first['big'] >> 20} MiB")
        for long_name, short_name in short.items():
            label = label.replace(long_name, short_name)
        labels.append(label)
    labels += ["fill / memset limit", "owned / PRIME, 2 MiB"]
    with open(os.path.join(outdir, "bench.dat"), "w") as f:
        f.write("# label " + " ".join(ks) + "\n")
        for i, label in enumerate(labels):
            vals = []
            for k in ks:
                r = results[k]
                if i < len(first["shared"]):
                    vals.append(r["shared"][i]["ratio"])
                elif i == len(first["shared"]):
                    vals.append(r["fill_over_limit"])
                else:
                    vals.append(r["owned_over_prime"])
            f.write(f"\"{label}\" " + " ".join(f"{v:.4f}" for v in vals) + "\n")
    series = ", ".join(f"'bench.dat' using {i + 2}:xtic(1) title 'kernel {k}'"
                       for i, k in enumerate(ks))
    script = f"""set terminal pngcairo size 1100,600 font ',10'
set output 'bench.png'
set title 'sgdemo against vgem and the memset limit (ratio; 1.0 = parity, higher is better for sgdemo)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top right
set ylabel 'ratio (log scale)'
set logscale y 2
set yrange [0.125:16]
set grid ytics
set xtics rotate by -25 left
set bmargin 7
set rmargin 8
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2
plot {series}
"""
    with open(os.path.join(outdir, "bench.gp"), "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", "bench.gp"], cwd=outdir, check=True)


def main():
    outdir, kernels = sys.argv[1], sys.argv[2:]
    results = {}
    for k in kernels:
        with open(os.path.join(outdir, f"{k}.json")) as f:
            results[k] = json.load(f)
        table = text_table(results[k])
        with open(os.path.join(outdir, f"{k}.txt"), "w") as f:
            f.write(table)
        print(table)
    setups = setups_markdown(outdir, kernels)
    print(setups)
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(markdown(results) + setups)
    plot(outdir, results)


if __name__ == "__main__":
    main()
