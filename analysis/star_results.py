"""Reads a STAR results file (runs/<name>/results.h5, written by `star evolve`) into tables.

Layout (see README.md): /config holds the run's TOML; /generations/gNNNNNN/{evaluated,population}
hold one column per dataset. Every loader returns plain pandas DataFrames, one row per genome.
"""
import tomllib
from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

@dataclass
class Results:
    path: str
    config: dict                # the run's TOML, parsed
    objective_names: list       # columns of the objective matrix, all minimised
    evaluated: pd.DataFrame     # every genome trained, with its generation
    population: pd.DataFrame    # the survivors of each generation, with front_rank and crowding
    hypervolume_reference: list = None  # as star recorded it (None: a file from before it did)
    hypervolume: dict = None            # generation -> recorded hypervolume (None: not recorded)
    elapsed_seconds: dict = None        # generation -> the search's wall time then (format 3 on)
    events: pd.DataFrame = None         # a steady-state run's seq, kind (handout/result), genome

    @property
    def generations(self):
        return sorted(self.population["generation"].unique())

    def final_population(self):
        return self.population[self.population["generation"] == self.generations[-1]]

    def baselines(self):
        """The genomes the run was seeded with ([evolution] initial_genomes), as evaluated."""
        seeds = [g.lower() for g in self.config.get("evolution", {}).get("initial_genomes", [])]
        first = self.evaluated[self.evaluated["generation"] == 0]
        return first[first["genome"].isin(seeds)]


def _decode(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def _series_text(rows):
    """Rows of a 2-D series column (loss_curve, hurdle_losses: NaN after a row's last point) as
    "p1 p2 ..." text, one cell per row."""
    return [" ".join(f"{v:.6g}" for v in row if not np.isnan(v)) for row in rows]


def _table(group, generation, objective_names):
    """Every column star wrote for these rows: each field of its evaluation record (whatever the
    file's version holds), the objectives, and a population's front_rank and crowding."""
    data = {}
    for name in group.keys():
        values = group[name][()]
        if name == "objectives":
            continue
        if values.ndim == 2:
            data[name] = _series_text(values)
        else:
            data[name] = _decode(values) if values.dtype.kind in "OSU" else values
    frame = pd.DataFrame(data)
    objectives = group["objectives"][()] if "objectives" in group else np.zeros((len(frame), 0))
    for i, name in enumerate(objective_names):
        frame[f"objective_{name}"] = objectives[:, i] if len(frame) else []
    frame.insert(0, "generation", generation)
    return frame


def curve_points(text):
    """The points of a loss_curve cell (mean training loss per equal share of the steps)."""
    return [float(v) for v in str(text).split()] if isinstance(text, str) else []


def _open(path, fmt, what):
    """The HDF5 file at path, open for reading, if its format attribute is fmt; else ValueError."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{path}: not a readable HDF5 file ({e})") from e
    if f.attrs.get("format") not in (fmt, fmt.encode()):
        f.close()
        raise ValueError(f"{path}: not a STAR {what} file (no format = {fmt} attribute)")
    return f


def load(path):
    """Loads a results file; raises ValueError naming the file when it is not one."""
    with _open(path, "star-results", "results") as f:
        names = f.attrs["objective_names"]
        names = (names.decode() if isinstance(names, bytes) else str(names)).split(",")
        config_text = _decode(f["config"][()])[0]
        evaluated, population, hypervolume, elapsed = [], [], {}, {}
        for key in sorted(f["generations"].keys()):
            g = f["generations"][key]
            index = int(g.attrs["generation"])
            evaluated.append(_table(g["evaluated"], index, names))
            population.append(_table(g["population"], index, names))
            if "hypervolume" in g.attrs:
                hypervolume[index] = float(g.attrs["hypervolume"])
            if "elapsed_seconds" in g.attrs:
                elapsed[index] = float(g.attrs["elapsed_seconds"])
        events = None
        if "events" in f:
            events = pd.DataFrame({"seq": f["events"]["seq"][()].astype(int),
                                   "kind": _decode(f["events"]["kind"][()]),
                                   "genome": _decode(f["events"]["genome"][()])})
        reference = None
        if "hypervolume_reference" in f.attrs:
            reference = [float(v) for v in np.atleast_1d(f.attrs["hypervolume_reference"])]
    if not population:
        raise ValueError(f"{path}: holds no complete generation yet")
    return Results(path, tomllib.loads(config_text), names, pd.concat(evaluated, ignore_index=True),
                   pd.concat(population, ignore_index=True), reference, hypervolume or None, elapsed or None,
                   events)


@dataclass
class Retrain:
    """A `star retrain` file (runs/<name>/retrain/retrain.h5): the final front's best genomes and
    the baselines, trained again for longer and scored on held-out text."""
    path: str
    attrs: dict                 # results, heldout, heldout_windows, token_budget, budget_factor, cache_lengths, ...
    genomes: pd.DataFrame       # one row per training: name, seed, role, genome, status, loss (held-out), ...

    @property
    def cache_lengths(self):
        return [int(v) for v in np.atleast_1d(self.attrs["cache_lengths"])]

    def by_genome(self):
        """One row per genome. With several trainings of each (`star retrain --seeds`), its loss and
        accuracy are the means over the finished ones, `seeds` counts those, and `loss_low` and
        `loss_high` are their range; its status is "ok" when any finished, else its first one's."""
        rows = []
        for _, part in self.genomes.groupby("name", sort=False):
            row = part.iloc[0].copy()
            ok = part[part["status"] == "ok"]
            row["seeds"] = len(ok)
            row["loss_low"] = ok["loss"].min() if len(ok) else np.nan
            row["loss_high"] = ok["loss"].max() if len(ok) else np.nan
            if len(ok):
                row["status"], row["loss"], row["accuracy"] = "ok", ok["loss"].mean(), ok["accuracy"].mean()
            rows.append(row)
        return pd.DataFrame(rows).reset_index(drop=True)

    def finished(self):
        """The genomes with a finished training, one row each (means over seeds: by_genome)."""
        genomes = self.by_genome()
        return genomes[genomes["status"] == "ok"]

    def reference(self):
        """The first baseline that trained: what changes are given against (as star prints them)."""
        ok = self.finished()
        base = ok[ok["role"] != "front"]
        return base.iloc[0] if len(base) else None


def load_retrain(path):
    """Loads a retrain file; raises ValueError naming the file when it is not one."""
    with _open(path, "star-retrain", "retrain") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        g = f["genomes"]
        data = {}
        for name in g.keys():
            values = g[name][()]
            if values.ndim == 2:
                data[name] = _series_text(values)
            else:
                data[name] = _decode(values) if values.dtype.kind in "OSU" else values
        frame = pd.DataFrame(data)
    return Retrain(path, attrs, frame)
