"""What a genome text says, for the motif analysis: LIV classes, sharing links, cache size.

Mirrors the rules of src/genome (sharing.cpp: LIVs of one class with the same group and a
strategy of 2 or more share with the first of them) and src/model (each class's cache). The tests
check the cache formula against the sizes the program itself recorded.
"""
CLASS_NAMES = {  # src/genome/liv_class.cpp
    1: "GMemless", 2: "GConv-1", 3: "SA-1", 4: "SA-2", 5: "SA-3", 6: "Rec-1", 7: "Rec-2", 8: "GConv-2",
    9: "GMemless-2", 10: "S4-1", 11: "S4-2", 12: "S4-Diff", 13: "SA-1-Diff", 14: "SA-2-Diff", 15: "SA-3-Diff",
    16: "Rec-1-Diff", 17: "Rec-2-Diff", 18: "GConv-1-Diff", 19: "GConv-2-Diff", 20: "S4-Monarch",
}
DIFFERENTIAL_OF = {12: 10, 13: 3, 14: 4, 15: 5, 16: 6, 17: 7, 18: 2, 19: 8}  # the class each one doubles
STATE_SPACE_SIZE = 16  # src/model/derived_sizes.hpp: kStateSpaceSize


def grouped_kv_heads(heads):
    """SA-3's key-value heads: the largest divisor of heads that is at most heads / 4 (at least 1)."""
    for kv in range(heads // 4, 1, -1):
        if heads % kv == 0:
            return kv
    return 1


def parse(text):
    """'21211-31112' -> [(2, 1, 2, 1, 1), (3, 1, 1, 1, 2)] (base-36 digits). The backbone only:
    operator entries after it (';3=11223:...', src/genome/genome.hpp) are left out. A LIV of six
    digits carries its block gene (src/genome/blocks.hpp); five digits mean block gene 1."""
    return [tuple(int(c, 36) for c in liv) for liv in text.split(";")[0].split("-")]


MIXERS = {2: "scalars", 3: "token gates"}


def blocks(livs):
    """[(first LIV index, paths, mixer name or None, routed)], as src/genome/blocks.cpp's blocks_of:
    a LIV whose block gene is 2 or 3 joins the block before it as another path; 4 starts a routed
    block."""
    out = []
    for i, liv in enumerate(livs):
        gene = liv[5] if len(liv) > 5 else 1
        if not out or gene not in MIXERS:
            out.append([i, 1, None, gene == 4])
            continue
        if out[-1][1] == 1:
            out[-1][2] = MIXERS[gene]
        out[-1][1] += 1
    return [tuple(b) for b in out]


def has_custom_operators(text):
    """Whether some class of the genome computes another operator than its preset (the full
    search level). cache_bytes knows the presets only."""
    return ";" in text


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


def operator_cache_values(cls, seq_len, width, conv_taps, heads):
    """Values one LIV of class cls keeps when it computes its own feature groups (src/model)."""
    if cls in DIFFERENTIAL_OF:                   # two copies of the base operator
        return 2 * operator_cache_values(DIFFERENTIAL_OF[cls], seq_len, width, conv_taps, heads)
    head_width = width // heads
    return {
        2: (conv_taps - 1) * width,              # GConv-1: its last K - 1 inputs
        3: 2 * seq_len * width,                  # SA-1: keys and values
        4: width * (head_width + 1),           # SA-2: per head a Dh x Dh state and a Dh normaliser
        5: 2 * seq_len * grouped_kv_heads(heads) * head_width,  # SA-3: grouped keys and values
        6: width, 7: width,                      # Rec-1, Rec-2: the state
        8: seq_len * width,                      # GConv-2: the long convolution's input history
        10: width * STATE_SPACE_SIZE, 11: width * STATE_SPACE_SIZE,  # S4-1, S4-2: N states a channel
        20: width * STATE_SPACE_SIZE,            # S4-Monarch: S4-1's state
    }.get(cls, 0)                                # GMemless, GMemless-2: none


def cache_bytes(livs, seq_len, width, conv_taps, bytes_per_value, heads=4):
    """Inference cache per sequence after seq_len tokens. A LIV that borrows feature groups (keys
    and values, a state) keeps nothing: only classes that share them have strategy 2 there."""
    fg_owner = feature_group_owners(livs)
    total = 0
    for i, liv in enumerate(livs):
        if fg_owner[i] == i:
            total += operator_cache_values(liv[0], seq_len, width, conv_taps, heads) * bytes_per_value
    return total
