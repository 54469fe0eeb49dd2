"""What a genome text says, for the motif analysis: LIV classes, sharing links, cache size.

Mirrors the rules of src/genome (sharing.cpp: LIVs of one class with the same group and a
strategy of 2 or more share with the first of them) and src/model (each class's cache). The tests
check the cache formula against the sizes the program itself recorded.
"""
CLASS_NAMES = {1: "GMemless", 2: "GConv-1", 3: "SA-1"}  # src/genome/liv_class.cpp


def parse(text):
    """'21211-31112' -> [(2, 1, 2, 1, 1), (3, 1, 1, 1, 2)] (base-36 digits)."""
    return [tuple(int(c, 36) for c in liv) for liv in text.split("-")]


def class_name(cls):
    return CLASS_NAMES.get(cls, f"class {cls}")


def owners(livs, group_at, strategy_at):
    """Per LIV, the index of the LIV it shares with (its own index when it shares nothing)."""
    first, out = {}, []
    for i, liv in enumerate(livs):
        if liv[strategy_at] < 2:
            out.append(i)
            continue
        out.append(first.setdefault((liv[0], liv[group_at], liv[strategy_at]), i))
    return out


def featurizer_owners(livs):
    return owners(livs, 1, 2)


def feature_group_owners(livs):
    return owners(livs, 3, 4)


def links(livs):
    """(kind, class name, owner index, user index) for every sharing link."""
    out = []
    for kind, own in (("featurizer", featurizer_owners(livs)), ("feature group", feature_group_owners(livs))):
        for i, o in enumerate(own):
            if o != i:
                out.append((kind, class_name(livs[i][0]), o, i))
    return out


def cache_bytes(livs, seq_len, width, conv_taps, bytes_per_value):
    """Inference cache per sequence after seq_len tokens (src/model: attention.cpp, gated_conv.cpp)."""
    fg_owner = feature_group_owners(livs)
    total = 0
    for i, liv in enumerate(livs):
        if liv[0] == 3 and fg_owner[i] == i:     # SA-1 keeps keys and values, unless it borrows them
            total += 2 * seq_len * width * bytes_per_value
        elif liv[0] == 2:                        # GConv-1 keeps its last K - 1 inputs
            total += (conv_taps - 1) * width * bytes_per_value
    return total
