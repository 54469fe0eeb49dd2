"""Exact hypervolume of a set of minimised objective vectors, for 2 and 3 objectives."""
import numpy as np


def nondominated(points):
    """The points no other point dominates (all objectives minimised)."""
    pts = np.asarray(points, dtype=float)
    keep = []
    for i, p in enumerate(pts):
        dominated = np.any(np.all(pts <= p, axis=1) & np.any(pts < p, axis=1))
        if not dominated:
            keep.append(i)
    return pts[keep]


def _hv2(points, ref):
    pts = sorted(map(tuple, points))
    area, last_y = 0.0, ref[1]
    for x, y in pts:
        if x < ref[0] and y < last_y:
            area += (ref[0] - x) * (last_y - y)
            last_y = y
    return area


def hypervolume(points, ref):
    """Volume dominated by `points` and bounded by the reference point `ref`."""
    pts = np.asarray(points, dtype=float).reshape(-1, len(ref))
    pts = pts[np.all(pts < np.asarray(ref), axis=1)]
    if len(pts) == 0:
        return 0.0
    if len(ref) == 1:
        return float(ref[0] - pts[:, 0].min())
    if len(ref) == 2:
        return _hv2(pts, ref)
    if len(ref) == 3:
        # Slices along the third objective: between consecutive z values, the 2-D hypervolume of
        # the points at or below the slice.
        order = np.argsort(pts[:, 2])
        zs = list(pts[order, 2]) + [ref[2]]
        volume = 0.0
        for k in range(len(order)):
            depth = zs[k + 1] - zs[k]
            if depth > 0:
                volume += depth * _hv2(pts[order[: k + 1], :2], ref[:2])
        return volume
    raise ValueError("hypervolume: only 1 to 3 objectives")
