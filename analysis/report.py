#!/usr/bin/env python3
"""The figures and tables a STAR user reads, from a results file.

    python3 analysis/report.py runs/quickstart/results.h5 -o runs/quickstart/report

Writes PNG figures, report.md and report.html (which show them with a summary table), and
evaluated.csv (one row per evaluated genome) into the output folder.
"""
import argparse
import html
import itertools
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genome_motifs  # noqa: E402
import star_results  # noqa: E402
from hypervolume import hypervolume, nondominated  # noqa: E402

LABELS = {"quality": "held-out loss (nats/token)", "params": "parameters", "cache": "inference cache (bytes/sequence)"}
GENOME = re.compile(r"^[0-9a-z]{5,6}(-[0-9a-z]{5,6})*$")
SEQ_LENGTHS = [1024, 2048, 4096, 8192, 16384, 32768, 65536]


def label(name):
    return LABELS.get(name, name)


# [evolution]'s budgets and the record's column each bounds.
BUDGETS = {
    "max_params": "parameters",
    "max_cache_bytes": "cache_bytes",
    "max_prefill_ms": "prefill_ms",
    "max_decode_ms": "decode_ms",
    "max_inference_bytes": "inference_memory_bytes",
}


def feasible(frame):
    return frame[frame["status"] == "ok"]


def within_budgets(results, frame):
    """Feasible as star selects: trained, and within [evolution]'s budgets (src/search/objectives.hpp)."""
    evolution = results.config.get("evolution", {})
    ok = feasible(frame)
    for key, column in BUDGETS.items():
        if evolution.get(key, 0) > 0 and column in ok:
            ok = ok[ok[column] <= evolution[key]]
    return ok


def reference_point(results):
    """The run's hypervolume reference: as star recorded it, else star's rule (src/app/
    hypervolume_record.hpp): [evolution] reference_point, or 1.1 x the worst value of each
    objective among the feasible genomes of the first generation that has any."""
    if results.hypervolume_reference is not None:
        return np.asarray(results.hypervolume_reference, dtype=float)
    given = results.config.get("evolution", {}).get("reference_point")
    if given:
        return np.asarray(given, dtype=float)
    cols = [f"objective_{n}" for n in results.objective_names]
    for g in sorted(results.evaluated["generation"].unique()):
        ok = within_budgets(results, results.evaluated[results.evaluated["generation"] == g])
        if len(ok):
            return ok[cols].max().to_numpy(dtype=float) * 1.1
    return None


def feasible_hypervolume(results, frame, ref):
    """The hypervolume of `frame`'s genomes that are feasible as star selects (within_budgets)
    against `ref`: star's rule for a population's hypervolume (src/search/hypervolume_record.cpp)."""
    pop = within_budgets(results, frame)
    cols = [f"objective_{n}" for n in results.objective_names]
    return hypervolume(nondominated(pop[cols].to_numpy()), ref) if ref is not None and len(pop) else 0.0


def hypervolume_per_generation(results):
    """Per generation (a steady-state run: per `population` results), the hypervolume of the
    population's feasible genomes as a fraction of the reference box (the recorded value when the
    file has it, else computed the same way), the evaluations so far and the search's wall time
    then (NaN in files from before star recorded it)."""
    ref = reference_point(results)
    box = float(np.prod(ref)) if ref is not None else 0.0
    rows = []
    for g in results.generations:
        if results.hypervolume is not None and g in results.hypervolume:
            hv = results.hypervolume[g]
        else:
            hv = feasible_hypervolume(results, results.population[results.population["generation"] == g], ref)
        elapsed = (results.elapsed_seconds or {}).get(g, float("nan"))
        rows.append({"generation": g, "hypervolume": hv / box if box > 0 else 0.0,
                     "evaluations": int((results.evaluated["generation"] <= g).sum()), "elapsed_seconds": elapsed})
    return pd.DataFrame(rows)


def figure_pareto(results, out, a, b):
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    gens = results.generations
    cmap = plt.get_cmap("viridis", max(len(gens), 2))
    for i, g in enumerate(gens):
        pop = feasible(results.population[results.population["generation"] == g])
        ax.scatter(pop[f"objective_{a}"], pop[f"objective_{b}"], s=22, color=cmap(i), alpha=0.8,
                   label=f"generation {g + 1}")
    final = feasible(results.final_population())
    front = final[final["front_rank"] == 0].sort_values(f"objective_{a}")
    ax.plot(front[f"objective_{a}"], front[f"objective_{b}"], color="black", lw=1, label="final front")
    base = feasible(results.baselines())
    if len(base):
        ax.scatter(base[f"objective_{a}"], base[f"objective_{b}"], marker="*", s=160, color="red",
                   edgecolor="black", zorder=5, label="baselines (initial genomes)")
    ax.set_xlabel(label(a))
    ax.set_ylabel(label(b))
    ax.set_title(f"Population by generation: {a} vs {b} (both minimised)")
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    return save(fig, out, f"pareto_{a}_vs_{b}.png")


def figure_objectives(results, out):
    names = results.objective_names
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 4), squeeze=False)
    for ax, name in zip(axes[0], names):
        data = [feasible(results.evaluated[results.evaluated["generation"] == g])[f"objective_{name}"].to_numpy()
                for g in results.generations]
        ax.boxplot(data, labels=[str(g + 1) for g in results.generations], showfliers=True)
        ax.set_xlabel("generation")
        ax.set_ylabel(label(name))
        ax.set_title(f"{name} of the genomes trained")
        ax.grid(alpha=0.3)
    fig.suptitle("Objective scores per generation (lower is better)")
    return save(fig, out, "objectives_per_generation.png")


def class_frequencies(results):
    rows = []
    for g in results.generations:
        counts = {}
        for text in results.population[results.population["generation"] == g]["genome"]:
            for liv in genome_motifs.parse(text):
                name = genome_motifs.class_name(liv[0])
                counts[name] = counts.get(name, 0) + 1
        total = sum(counts.values())
        rows.append({"generation": g, **{k: v / total for k, v in counts.items()}})
    return pd.DataFrame(rows).fillna(0.0).set_index("generation")


def figure_classes(results, out):
    freq = class_frequencies(results)
    fig, ax = plt.subplots(figsize=(6.4, 4))
    bottom = np.zeros(len(freq))
    for name in sorted(freq.columns):
        ax.bar([str(g + 1) for g in freq.index], freq[name], bottom=bottom, label=name)
        bottom += freq[name].to_numpy()
    ax.set_xlabel("generation")
    ax.set_ylabel("fraction of LIVs in the population")
    ax.set_title("LIV classes per generation")
    ax.legend(fontsize=8)
    return save(fig, out, "liv_classes_per_generation.png")


def sharing_table(results):
    rows = []
    for _, r in results.population.iterrows():
        for kind, cls, owner, user in genome_motifs.links(genome_motifs.parse(r["genome"])):
            rows.append({"generation": r["generation"], "kind": kind, "class": cls, "distance": user - owner})
    return pd.DataFrame(rows, columns=["generation", "kind", "class", "distance"])


def figure_sharing(results, out):
    links = sharing_table(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    gens = results.generations
    size = results.population.groupby("generation").size()
    for kind, colour in (("featurizer", "tab:blue"), ("feature group", "tab:orange")):
        per_gen = [len(links[(links["generation"] == g) & (links["kind"] == kind)]) / size[g] for g in gens]
        left.plot([g + 1 for g in gens], per_gen, marker="o", color=colour, label=f"{kind} sharing")
    left.set_xlabel("generation")
    left.set_ylabel("links per genome in the population")
    left.set_title("Sharing links used")
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.legend(fontsize=8)
    left.grid(alpha=0.3)
    final = links[links["generation"] == gens[-1]]
    if len(final):
        top = int(final["distance"].max())
        bins = np.arange(0.5, top + 1.5)
        for kind, colour in (("featurizer", "tab:blue"), ("feature group", "tab:orange")):
            right.hist(final[final["kind"] == kind]["distance"], bins=bins, alpha=0.6, color=colour, label=kind)
        right.legend(fontsize=8)
    right.set_xlabel("distance between linked LIVs (positions)")
    right.set_ylabel("links in the final population")
    right.set_title("How far apart shared LIVs are")
    return save(fig, out, "sharing_links.png")


def cache_curves(results):
    model = results.config.get("model", {})
    metrics = results.config.get("metrics", {})
    width, taps, heads = model.get("width", 64), model.get("conv_taps", 3), model.get("heads", 4)
    bytes_per_value = metrics.get("cache_bytes_per_value", 2)
    final = feasible(results.final_population())
    chosen = {("front", g) for g in final[final["front_rank"] == 0]["genome"]}
    chosen |= {("baseline", g) for g in results.baselines()["genome"]}
    # Curves over lengths need each operator's cache formula; the Python mirror knows the presets.
    # Genomes with other operators keep the cache the program recorded at the run's length.
    chosen = {(kind, g) for kind, g in chosen if not genome_motifs.has_custom_operators(g)}
    return {(kind, g): [genome_motifs.cache_bytes(genome_motifs.parse(g), t, width, taps, bytes_per_value, heads)
                        for t in SEQ_LENGTHS] for kind, g in sorted(chosen)}


def figure_cache(results, out):
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for (kind, g), values in cache_curves(results).items():
        baseline = kind == "baseline"  # drawn wide and pale so fronts on top stay visible
        ax.plot(SEQ_LENGTHS, [max(v, 1) for v in values], marker="*" if baseline else "o", lw=5 if baseline else 1.5,
                alpha=0.35 if baseline else 1.0, linestyle="--" if baseline else "-", label=f"{kind}: {g}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("sequence length (tokens)")
    ax.set_ylabel("inference cache (bytes per sequence)")
    ax.set_title("Cache size against sequence length")
    ax.legend(fontsize=6)
    ax.grid(alpha=0.3, which="both")
    return save(fig, out, "cache_scaling.png")


def figure_training(results, out):
    """Training loss curves of the final front and the baselines (what 'trained briefly' looked like)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    final = feasible(results.final_population())
    chosen = [("front", g) for g in final[final["front_rank"] == 0]["genome"]]
    chosen += [("baseline", g) for g in results.baselines()["genome"] if ("front", g) not in chosen]
    drawn = 0
    if "loss_curve" in results.evaluated:
        curves = results.evaluated.drop_duplicates("genome").set_index("genome")["loss_curve"]
        for kind, g in chosen:
            points = star_results.curve_points(curves.get(g))
            if not points:
                continue
            x = (np.arange(len(points)) + 0.5) / len(points)
            ax.plot(x, points, linestyle="--" if kind == "baseline" else "-", label=f"{kind}: {g}")
            drawn += 1
    if drawn == 0:
        ax.text(0.5, 0.5, "no loss curves recorded", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(fontsize=6)
    ax.set_xlabel("fraction of the training")
    ax.set_ylabel("training loss (nats/token)")
    ax.set_title("Training curves of the final front and the baselines")
    ax.grid(alpha=0.3)
    return save(fig, out, "training_curves.png")


def figure_progress(results, hv, out):
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4))
    left.plot(hv["evaluations"], hv["hypervolume"], marker="o")
    left.set_xlabel("evaluations")
    left.set_ylabel("hypervolume (fraction of the reference box)")
    mode = results.config.get("evolution", {}).get("mode", "generational")
    left.set_title(f"Hypervolume of the population's front ({mode})")
    left.grid(alpha=0.3)
    timed = hv[hv["elapsed_seconds"].notna()]
    if len(timed):
        middle.plot(timed["elapsed_seconds"] / 60, timed["hypervolume"], marker="o")
    else:
        middle.text(0.5, 0.5, "no times recorded\n(a file from before star kept them)", ha="center", va="center",
                    transform=middle.transAxes)
    middle.set_xlabel("wall time of the search (minutes)")
    middle.set_ylabel("hypervolume (fraction of the reference box)")
    middle.set_title("Hypervolume against wall time")
    middle.grid(alpha=0.3)
    gens = results.generations
    statuses = ["diverged", "oom", "timeout", "failed"]
    bottom = np.zeros(len(gens))
    for status in statuses:
        counts = np.array([(results.evaluated[(results.evaluated["generation"] == g)]["status"] == status).sum()
                           for g in gens])
        right.bar([g + 1 for g in gens], counts, bottom=bottom, label=status)
        bottom += counts
    right.set_xlabel("generation")
    right.set_ylabel("genomes")
    right.set_title("Failed trainings per generation")
    right.set_ylim(bottom=0, top=max(1.0, bottom.max() * 1.15))
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    if bottom.sum() == 0:
        right.text(0.5, 0.5, "no failed trainings", ha="center", va="center", transform=right.transAxes)
    else:
        right.legend(fontsize=8)
    return save(fig, out, "hypervolume_and_failures.png")


def percent(value, reference):
    return f"{100.0 * (value / reference - 1):+.1f}%" if reference else "-"


def retrain_table(retrain, vocab_size):
    """One row per retrained genome: the search's loss, the held-out loss after retraining (with
    several seeds: their mean, how many and their range), size and cache, and the change against
    the reference (the first baseline, as `star retrain` prints)."""
    ref = retrain.reference()
    short, long = retrain.cache_lengths
    unit = "bits/byte" if vocab_size == 256 else "bits/token"
    seeds = int(retrain.attrs.get("seeds", 1))
    rows = []
    for _, r in retrain.by_genome().iterrows():
        ok = r["status"] == "ok"
        over_seeds = {"seeds": int(r["seeds"]),
                      "range": f"{r['loss_low']:.4f}..{r['loss_high']:.4f}" if ok else "-"} if seeds > 1 else {}
        rows.append({"name": r["name"], "role": r["role"], "genome": r["genome"],
                     "search loss": "-" if np.isnan(r["search_loss"]) else f"{r['search_loss']:.4f}",
                     "held-out loss": f"{r['loss']:.4f}" if ok else r["status"], **over_seeds,
                     unit: f"{r['loss'] / np.log(2):.4f}" if ok else "-",
                     "parameters": int(r["parameters"]), f"cache@{short}": int(r["cache_bytes_short"]),
                     f"cache@{long}": int(r["cache_bytes_long"]),
                     "Δ loss": percent(r["loss"], ref["loss"]) if ok and ref is not None else "-",
                     "Δ params": percent(r["parameters"], ref["parameters"]) if ok and ref is not None else "-",
                     f"Δ cache@{short}": percent(r["cache_bytes_short"], ref["cache_bytes_short"])
                     if ok and ref is not None else "-"})
    return pd.DataFrame(rows)


def retrain_verdict(retrain):
    """The STAR paper's claims, asked of this retraining: does a front genome match the reference
    (first baseline) with at most half its cache, and each other baseline with less cache?"""
    ok = retrain.finished()
    front = ok[ok["role"].str.startswith("front")]
    ref = retrain.reference()
    if ref is None or not len(front):
        return ["No verdict: the retraining has no finished baseline or no finished front genome yet."]
    short = retrain.cache_lengths[0]
    lines = []
    for _, base in ok[ok["role"] != "front"].iterrows():
        is_ref = base["name"] == ref["name"]
        limit = 0.5 * base["cache_bytes_short"] if is_ref else base["cache_bytes_short"]
        better = front[(front["name"] != base["name"]) & (front["loss"] <= base["loss"]) &
                       (front["cache_bytes_short"] <= limit if is_ref else front["cache_bytes_short"] < limit)]
        claim = (f"reaches {base['name']}'s held-out loss ({base['loss']:.4f}) with at most half its cache at "
                 f"{short} tokens" if is_ref else
                 f"reaches {base['name']}'s held-out loss ({base['loss']:.4f}) with less cache")
        if len(better):
            best = better.sort_values("cache_bytes_short").iloc[0]
            lines.append(f"Yes: a retrained front genome {claim}: {best['name']} `{best['genome']}`, loss "
                         f"{best['loss']:.4f}, cache {percent(best['cache_bytes_short'], base['cache_bytes_short'])}.")
        else:
            lines.append(f"No: no retrained front genome {claim}.")
    return lines


def figure_retrain(retrain, out, column, xlabel, name):
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    ok = retrain.finished()
    front = ok[ok["role"] == "front"]
    base = ok[ok["role"] != "front"]
    ax.scatter(front[column].clip(lower=1), front["loss"], s=40, color="tab:blue", label="retrained front")
    for _, r in front.iterrows():
        ax.annotate(r["name"], (max(r[column], 1), r["loss"]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.scatter(base[column].clip(lower=1), base["loss"], marker="*", s=180, color="red", edgecolor="black",
               zorder=5, label="baselines")
    for _, r in base.iterrows():
        ax.annotate(r["name"], (max(r[column], 1), r["loss"]), fontsize=7, xytext=(4, -10), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("held-out loss after retraining (nats/token)")
    ax.set_title(f"Retrained ({retrain.attrs.get('budget_factor', '?')} x the search's tokens): loss vs {name}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return save(fig, out, f"retrain_loss_vs_{name}.png")


def retrain_section(retrain, results, out):
    """Markdown lines, HTML parts and figures of the retraining."""
    vocab = results.config.get("task", {}).get("vocab_size", 0)
    table = retrain_table(retrain, vocab)
    short = retrain.cache_lengths[0]
    figures = [figure_retrain(retrain, out, "cache_bytes_short", f"inference cache at {short} tokens (bytes/sequence)",
                              "cache"),
               figure_retrain(retrain, out, "parameters", "parameters", "params")]
    attrs = retrain.attrs
    intro = (f"The final front's best genomes and the baselines, each trained again for "
             f"{int(attrs['token_budget']):,} tokens ({attrs['budget_factor']:g} x the search's budget) "
             + (f"from {int(attrs['seeds'])} seeds each (losses are means over them), "
                if int(attrs.get('seeds', 1)) > 1 else "from the search's seeds, ")
             + f"scored on {int(attrs['heldout_windows'])} windows of `{attrs['heldout']}` "
             f"(`{retrain.path}`). Changes are against the first baseline.")
    verdict = retrain_verdict(retrain)
    md = ["## Retrained front against the baselines", "", intro, "", markdown_table(table), ""]
    md += ["**Verdict**", ""] + [f"- {line}" for line in verdict] + [""]
    md += [f"![{f}]({f})" for f in figures] + [""]
    body = ["<h2>Retrained front against the baselines</h2>", f"<p>{html.escape(intro)}</p>",
            table.to_html(index=False), "<h3>Verdict</h3><ul>"]
    body += [f"<li>{html.escape(line)}</li>" for line in verdict] + ["</ul>"]
    body += [f'<p><img src="{f}" alt="{f}"></p>' for f in figures]
    table.to_csv(os.path.join(out, "retrained.csv"), index=False)
    return md, body


def save(fig, out, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=110)
    plt.close(fig)
    return name


def top_genomes(results, n=10):
    final = feasible(results.final_population()).sort_values(["front_rank", f"objective_{results.objective_names[0]}"])
    return final.head(n)[["genome", "front_rank", "loss", "accuracy", "parameters", "cache_bytes"]]


def summary(results, hv):
    ev = results.evaluated
    ok = feasible(ev)
    final = results.final_population()
    rows = [("generations", len(results.generations)),
            ("genomes trained", len(ev)),
            ("failed trainings", int((~ev["status"].isin(["ok", "stopped"])).sum())),
            ("best held-out loss", f"{ok['loss'].min():.4f}" if len(ok) else "-"),
            ("best accuracy", f"{ok['accuracy'].max():.3f}" if len(ok) else "-"),
            ("fewest parameters", int(ok["parameters"].min()) if len(ok) else "-"),
            ("smallest cache (bytes)", int(ok["cache_bytes"].min()) if len(ok) else "-"),
            ("final front size", int((final["front_rank"] == 0).sum())),
            ("final hypervolume", f"{hv['hypervolume'].iloc[-1]:.4f}")]
    if "fidelity" in ev and (ev["status"] == "stopped").any():  # [train] hurdles
        rows.insert(3, ("stopped at hurdles", int((ev["status"] == "stopped").sum())))
        rows.insert(4, ("token budget saved by hurdles", f"{100 * (1 - ev['fidelity'].mean()):.1f}%"))
    return pd.DataFrame(rows, columns=["quantity", "value"])


def markdown_table(frame):
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + " --- |" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(f"`{v}`" if GENOME.match(str(v)) else str(v) for v in row) + " |")
    return "\n".join(lines)


def write_reports(results, out, figures, summary_table, top, extra=None):
    title = f"STAR results: {results.path}"
    top_shown = top.assign(loss=top["loss"].map("{:.4f}".format), accuracy=top["accuracy"].map("{:.3f}".format))
    md = [f"# {title}", "", f"Objectives (all minimised): {', '.join(results.objective_names)}.", "",
          "## Summary", "", markdown_table(summary_table), "",
          "## Top genomes of the final population", "",
          "Each genome text can be pasted into `star genome describe`.", "", markdown_table(top_shown), ""]
    if extra:
        md += extra[0]
    for f in figures:
        md += [f"![{f}]({f})", ""]
    with open(os.path.join(out, "report.md"), "w") as fh:
        fh.write("\n".join(md))
    body = [f"<h1>{html.escape(title)}</h1>", "<h2>Summary</h2>", summary_table.to_html(index=False),
            "<h2>Top genomes of the final population</h2>", top_shown.to_html(index=False)]
    if extra:
        body += extra[1]
    body += [f'<p><img src="{f}" alt="{f}"></p>' for f in figures]
    with open(os.path.join(out, "report.html"), "w") as fh:
        fh.write(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                 f"<body>{''.join(body)}</body></html>")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results file written by star evolve (runs/<name>/results.h5)")
    parser.add_argument("-o", "--output", required=True, help="folder for the figures, report and CSV")
    parser.add_argument("--retrain", help="a `star retrain` file to report on (default: retrain/retrain.h5 beside "
                                          "the results file, when there is one)")
    args = parser.parse_args(argv)
    try:
        results = star_results.load(args.results)
        retrain_path = args.retrain or os.path.join(os.path.dirname(os.path.abspath(args.results)), "retrain",
                                                    "retrain.h5")
        retrain = star_results.load_retrain(retrain_path) if args.retrain or os.path.exists(retrain_path) else None
    except ValueError as e:
        print(f"report: {e}", file=sys.stderr)
        return 2
    os.makedirs(args.output, exist_ok=True)
    results.evaluated.to_csv(os.path.join(args.output, "evaluated.csv"), index=False)
    hv = hypervolume_per_generation(results)
    figures = [figure_pareto(results, args.output, a, b) for a, b in itertools.combinations(results.objective_names, 2)]
    figures += [figure_objectives(results, args.output), figure_classes(results, args.output),
                figure_sharing(results, args.output), figure_cache(results, args.output),
                figure_training(results, args.output), figure_progress(results, hv, args.output)]
    extra = retrain_section(retrain, results, args.output) if retrain is not None else None
    write_reports(results, args.output, figures, summary(results, hv), top_genomes(results), extra)
    print(f"report: {len(figures)} figures, report.md, report.html and evaluated.csv in {args.output}"
          + (f"; the retraining of {retrain.path} (retrained.csv)" if retrain is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
