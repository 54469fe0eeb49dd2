#include "genome/operator_genome.hpp"

#include <algorithm>
#include <stdexcept>

#include "genome/base36.hpp"
#include "genome/excerpt.hpp"
#include "genome/genome.hpp"

namespace star::genome {
namespace {

using Values = std::vector<int>;

// The (featurization, token mixing) pairs a family implements.
struct FamilyPair {
  int featurization, token_mixing;
  Family family;
};
const std::vector<FamilyPair>& family_pairs() {
  static const std::vector<FamilyPair> pairs = {
      {kInputDependent, kDense, Family::attention},
      {kInputDependent, kLowRank, Family::linear_attention},
      {kInputDependent, kSemiSeparable, Family::recurrence},
      {kInputDependent, kDiagonal, Family::memoryless},
      {kExplicit, kToeplitz, Family::convolution},
      {kImplicit, kToeplitz, Family::long_convolution},
      {kStateSpace, kToeplitz, Family::state_space},       // S4-1: the SSM's kernel, applied by FFT
      {kStateSpace, kSemiSeparable, Family::state_space},  // S4-2: input-dependent step, a scan
  };
  return pairs;
}

const FamilyPair* find_pair(const OperatorGene& op) {
  for (const auto& p : family_pairs())
    if (p.featurization == op.featurization && p.token_mixing == op.token_mixing) return &p;
  return nullptr;
}

// Families whose feature groups a later LIV can reuse (keys and values, or the state).
bool shares_feature_groups(Family f) {
  return f == Family::attention || f == Family::linear_attention || f == Family::recurrence;
}

// Whether class `cls` lets later LIVs reuse its feature groups: an operator must keep that.
bool class_shares_feature_groups(int cls) { return liv_class(cls).feature_group_strategies > 1; }

// The pairs class `cls` may compute: those that share feature groups as the class does.
std::vector<FamilyPair> pairs_for_class(int cls) {
  std::vector<FamilyPair> ok;
  for (const auto& p : family_pairs())
    if (shares_feature_groups(p.family) == class_shares_feature_groups(cls)) ok.push_back(p);
  return ok;
}

FamilyPair pick_pair(const std::vector<FamilyPair>& pairs, Rng& rng) {
  return pairs[uniform_int(rng, 0, static_cast<int>(pairs.size()) - 1)];
}

// Values each family allows at positions 3-5 (sparsity, nonlinearity, channel mixing).
Values allowed_operator_values(Family f, int position) {
  switch (position) {
    case 2:  // sparsity
      switch (f) {
        case Family::attention: return {kNoSparsity, kBanded, kBlockDiagonal};
        case Family::linear_attention:
        case Family::recurrence: return {kNoSparsity, kBlockDiagonal};
        case Family::convolution: return {kBanded};  // an explicit filter is short
        case Family::long_convolution: return {kNoSparsity, kBanded};
        default: return {kNoSparsity};
      }
    case 3:  // nonlinearity
      switch (f) {
        case Family::attention: return {kSoftmax};
        case Family::linear_attention: return {kFeatureMap};
        case Family::recurrence: return {kSigmoid};  // of the decay
        case Family::memoryless: return {kIdentity, kSilu, kGelu, kSigmoid};  // of the gate
        default: return {kIdentity};
      }
    default:  // channel mixing
      switch (f) {
        case Family::attention:
        case Family::linear_attention: return {kDenseChannels, kMultiHead};
        case Family::memoryless: return {kDenseChannels};
        default: return {kDiagonalChannels};
      }
  }
}

bool contains(const Values& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

int pick(const Values& v, Rng& rng) { return v[uniform_int(rng, 0, static_cast<int>(v.size()) - 1)]; }

// The fixed (input-independent) S4: the one family whose projections may be Monarch matrices.
bool fixed_state_space(Family f, const OperatorGene& op) {
  return f == Family::state_space && op.token_mixing == kToeplitz;
}

// Values a feature group of an operator of family f allows (featurizer positions 1-4).
Values allowed_featurizer_values(Family f, const OperatorGene& op, size_t group, int position) {
  switch (position) {
    case 0:  // a short causal convolution after the projection: attention-like featurizers
      return f == Family::attention || f == Family::linear_attention ? Values{kPointwise, kShortConvolution}
                                                                      : Values{kPointwise};
    case 1:  // a channel-wise scale of the input instead of a projection: attention-like featurizers;
             // Monarch projections: the fixed S4
      if (f == Family::attention || f == Family::linear_attention) return {kDenseProjection, kDiagonalScale};
      if (fixed_state_space(f, op)) return {kDenseProjection, kMonarchProjection};
      return {kDenseProjection};
    case 2:  // expansion: the gated MLP's hidden width
      return f == Family::memoryless ? Values{kExpandOne, kExpandTwo, kExpandHalf} : Values{kExpandOne};
    default:  // repeat: attention's keys and values (grouped-query attention)
      return f == Family::attention && group > 0 ? Values{1, 2, 4} : Values{1};
  }
}

// Positions that must agree between groups: (group, position, group it must equal).
struct Tie {
  size_t group;
  int position;
  size_t equals;
};
std::vector<Tie> ties(Family f, const OperatorGene& op) {
  if (f == Family::memoryless) return {{1, 2, 0}};  // gate and up are multiplied: same width
  if (f == Family::attention) return {{2, 3, 1}};   // a value head per key head
  if (fixed_state_space(f, op)) return {{1, 1, 0}};  // the input and the gate: one projection
  return {};
}

const char* operator_position_name(int p) {
  static const char* names[] = {"featurization", "token mixing", "sparsity", "nonlinearity", "channel mixing"};
  return names[p];
}
const char* featurizer_position_name(int p) {
  static const char* names[] = {"featurizer token mixing", "featurizer channel mixing", "expansion", "repeat"};
  return names[p];
}

std::string list(const Values& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return s;
}

}  // namespace

bool OperatorGene::operator==(const OperatorGene& o) const {
  return featurization == o.featurization && token_mixing == o.token_mixing && sparsity == o.sparsity &&
         nonlinearity == o.nonlinearity && channel_mixing == o.channel_mixing;
}

bool FeaturizerGene::operator==(const FeaturizerGene& o) const {
  return token_mixing == o.token_mixing && channel_mixing == o.channel_mixing && expansion == o.expansion &&
         repeat == o.repeat;
}

int& operator_position(OperatorGene& op, int position) {
  switch (position) {
    case 0: return op.featurization;
    case 1: return op.token_mixing;
    case 2: return op.sparsity;
    case 3: return op.nonlinearity;
    default: return op.channel_mixing;
  }
}

int& featurizer_position(FeaturizerGene& gene, int position) {
  switch (position) {
    case 0: return gene.token_mixing;
    case 1: return gene.channel_mixing;
    case 2: return gene.expansion;
    default: return gene.repeat;
  }
}

Family family_of(const OperatorGene& op) {
  if (const auto* p = find_pair(op)) return p->family;
  throw std::invalid_argument("no LIV family computes featurization " + std::to_string(op.featurization) +
                              " with token mixing " + std::to_string(op.token_mixing));
}

const std::vector<const char*>& feature_group_names(const OperatorGene& op) {
  static const std::vector<const char*> qkv = {"query", "key", "value"};
  static const std::vector<const char*> recurrence = {"readout", "decay", "input", "value"};
  static const std::vector<const char*> glu = {"gate", "up"};
  static const std::vector<const char*> conv = {"input gate", "output gate", "value"};
  static const std::vector<const char*> fixed_ssm = {"input", "gate"};
  static const std::vector<const char*> liquid_ssm = {"input", "gate", "step", "state input", "state output"};
  switch (family_of(op)) {
    case Family::attention:
    case Family::linear_attention: return qkv;
    case Family::recurrence: return recurrence;
    case Family::memoryless: return glu;
    case Family::state_space: return op.token_mixing == kSemiSeparable ? liquid_ssm : fixed_ssm;
    default: return conv;
  }
}

namespace {
size_t group_count(const OperatorGene& op) { return feature_group_names(op).size(); }
}  // namespace

OperatorSpec preset_operator(int class_id) {
  const LivClass& c = liv_class(class_id);
  if (c.differential_of != 0) return preset_operator(c.differential_of);
  OperatorGene op;
  switch (class_id) {
    case 1: op = {kInputDependent, kDiagonal, kNoSparsity, kSilu, kDenseChannels}; break;        // SwiGLU
    case 9: op = {kInputDependent, kDiagonal, kNoSparsity, kGelu, kDenseChannels}; break;        // GeGLU
    case 2: op = {kExplicit, kToeplitz, kBanded, kIdentity, kDiagonalChannels}; break;           // GConv-1
    case 3:
    case 5: op = {kInputDependent, kDense, kNoSparsity, kSoftmax, kMultiHead}; break;            // SA-1, SA-3
    case 4: op = {kInputDependent, kLowRank, kNoSparsity, kFeatureMap, kMultiHead}; break;       // SA-2
    case 6:
    case 7: op = {kInputDependent, kSemiSeparable, kNoSparsity, kSigmoid, kDiagonalChannels}; break;  // Rec-1, Rec-2
    case 8: op = {kImplicit, kToeplitz, kNoSparsity, kIdentity, kDiagonalChannels}; break;       // GConv-2
    case 10: op = {kStateSpace, kToeplitz, kNoSparsity, kIdentity, kDiagonalChannels}; break;    // S4-1
    case 11: op = {kStateSpace, kSemiSeparable, kNoSparsity, kIdentity, kDiagonalChannels}; break;  // S4-2
    case 20: op = {kStateSpace, kToeplitz, kNoSparsity, kIdentity, kDiagonalChannels}; break;    // S4-Monarch
    default: throw std::invalid_argument(std::string("no operator preset for class ") + c.short_name);
  }
  OperatorSpec spec{op, std::vector<FeaturizerGene>(group_count(op))};
  if (class_id == 5) spec.groups[1].repeat = spec.groups[2].repeat = 4;  // grouped-query: heads / 4 key-value heads
  if (class_id == 20) spec.groups[0].channel_mixing = spec.groups[1].channel_mixing = kMonarchProjection;
  return spec;
}

std::vector<std::string> operator_violations(const OperatorSpec& spec, int cls) {
  std::vector<std::string> out;
  const LivClass* c = find_liv_class(cls);
  if (!c) return {"class " + std::to_string(cls) + " is not in the LIV class table"};
  const std::string who = std::string("operator genome of class ") + std::to_string(cls) + " (" + c->short_name + ")";
  const FamilyPair* pair = find_pair(spec.op);
  if (!pair) {
    std::string pairs;
    for (const auto& p : family_pairs())
      pairs += (pairs.empty() ? "" : ", ") + std::to_string(p.featurization) + std::to_string(p.token_mixing);
    return {who + ", positions 1-2 (featurization, token mixing): " + std::to_string(spec.op.featurization) +
            std::to_string(spec.op.token_mixing) + " is not a pair any LIV family computes (" + pairs + ")"};
  }
  const bool class_shares = class_shares_feature_groups(cls);
  if (shares_feature_groups(pair->family) != class_shares)
    out.push_back(who + ", positions 1-2: this family " + (class_shares ? "has no" : "has") +
                  " feature groups later LIVs can reuse, unlike the class's preset; the backbone's "
                  "feature-group sharing strategies would change meaning");
  for (int p = 2; p < kOperatorGenes; ++p) {
    OperatorGene op = spec.op;
    const auto allowed = allowed_operator_values(pair->family, p);
    if (!contains(allowed, operator_position(op, p)))
      out.push_back(who + ", position " + std::to_string(p + 1) + " (" + operator_position_name(p) + "): " +
                    std::to_string(operator_position(op, p)) + " is not one of " + list(allowed) +
                    " for this family");
  }
  const size_t groups = group_count(spec.op);
  if (spec.groups.size() != groups) {
    out.push_back(who + ": " + std::to_string(spec.groups.size()) + " featurizer genes, this family has " +
                  std::to_string(groups) + " feature groups");
    return out;
  }
  for (size_t g = 0; g < groups; ++g)
    for (int p = 0; p < kFeaturizerGenes; ++p) {
      FeaturizerGene gene = spec.groups[g];
      const auto allowed = allowed_featurizer_values(pair->family, spec.op, g, p);
      if (!contains(allowed, featurizer_position(gene, p)))
        out.push_back(who + ", feature group " + std::to_string(g + 1) + ", position " + std::to_string(p + 1) + " (" +
                      featurizer_position_name(p) + "): " + std::to_string(featurizer_position(gene, p)) +
                      " is not one of " + list(allowed));
    }
  for (size_t g = 0; g < groups; ++g)
    if (spec.groups[g].channel_mixing == kDiagonalScale && spec.groups[g].repeat != 1)
      out.push_back(who + ", feature group " + std::to_string(g + 1) +
                    ", position 2 (featurizer channel mixing): a diagonal scale keeps the input's width, so it needs "
                    "repeat 1, not " + std::to_string(spec.groups[g].repeat));
  for (const auto& t : ties(pair->family, spec.op)) {
    FeaturizerGene a = spec.groups[t.group], b = spec.groups[t.equals];
    if (featurizer_position(a, t.position) != featurizer_position(b, t.position))
      out.push_back(who + ", feature group " + std::to_string(t.group + 1) + " (" + featurizer_position_name(t.position) +
                    "): must equal feature group " + std::to_string(t.equals + 1) + "'s");
  }
  return out;
}

void redraw_operator_position(OperatorSpec& spec, int cls, int position, Rng& rng) {
  if (position < 2) {  // the family: a pair that keeps the class's sharing capabilities
    const auto for_class = pairs_for_class(cls);
    std::vector<FamilyPair> ok;  // those that keep the other position
    for (const auto& p : for_class)
      if (position == 0 ? p.token_mixing == spec.op.token_mixing : p.featurization == spec.op.featurization)
        ok.push_back(p);
    const FamilyPair p = pick_pair(ok.empty() ? for_class : ok, rng);  // none: redraw both
    spec.op.featurization = p.featurization;
    spec.op.token_mixing = p.token_mixing;
    // The new family's options and groups, kept where still allowed.
    repair_operator(spec, cls, rng);
    return;
  }
  operator_position(spec.op, position) = pick(allowed_operator_values(family_of(spec.op), position), rng);
}

namespace {
// A diagonal scale needs repeat 1: where a group has both, its channel mixing becomes dense.
int resolve_diagonal_repeat(OperatorSpec& spec) {
  int changed = 0;
  for (auto& g : spec.groups)
    if (g.channel_mixing == kDiagonalScale && g.repeat != 1) {
      g.channel_mixing = kDenseProjection;
      ++changed;
    }
  return changed;
}
}  // namespace

void redraw_featurizer_position(OperatorSpec& spec, size_t group, int position, Rng& rng) {
  const Family f = family_of(spec.op);
  featurizer_position(spec.groups.at(group), position) = pick(allowed_featurizer_values(f, spec.op, group, position), rng);
  for (const auto& t : ties(f, spec.op)) {  // keep tied positions equal: the other side follows
    if (t.position != position) continue;
    if (t.equals == group) featurizer_position(spec.groups[t.group], position) = featurizer_position(spec.groups[group], position);
    if (t.group == group) featurizer_position(spec.groups[t.equals], position) = featurizer_position(spec.groups[group], position);
  }
  resolve_diagonal_repeat(spec);
}

int repair_operator(OperatorSpec& spec, int cls, Rng& rng) {
  int resampled = 0;
  const FamilyPair* pair = find_pair(spec.op);
  if (!pair || shares_feature_groups(pair->family) != class_shares_feature_groups(cls)) {
    const FamilyPair p = pick_pair(pairs_for_class(cls), rng);
    spec.op.featurization = p.featurization;
    spec.op.token_mixing = p.token_mixing;
    resampled += 2;
  }
  const Family f = family_of(spec.op);
  for (int p = 2; p < kOperatorGenes; ++p) {
    const auto allowed = allowed_operator_values(f, p);
    if (contains(allowed, operator_position(spec.op, p))) continue;
    operator_position(spec.op, p) = pick(allowed, rng);
    ++resampled;
  }
  const size_t groups = group_count(spec.op);
  if (spec.groups.size() != groups) {
    resampled += static_cast<int>(kFeaturizerGenes * (std::max(groups, spec.groups.size()) - std::min(groups, spec.groups.size())));
    spec.groups.resize(groups);
  }
  for (size_t g = 0; g < groups; ++g)
    for (int p = 0; p < kFeaturizerGenes; ++p) {
      const auto allowed = allowed_featurizer_values(f, spec.op, g, p);
      if (contains(allowed, featurizer_position(spec.groups[g], p))) continue;
      featurizer_position(spec.groups[g], p) = pick(allowed, rng);
      ++resampled;
    }
  for (const auto& t : ties(f, spec.op)) {  // the later group follows the earlier one
    int& later = featurizer_position(spec.groups[t.group], t.position);
    const int earlier = featurizer_position(spec.groups[t.equals], t.position);
    if (later != earlier) {
      later = earlier;
      ++resampled;
    }
  }
  return resampled + resolve_diagonal_repeat(spec);
}

OperatorSpec sample_operator(int cls, Rng& rng) {
  OperatorSpec spec{OperatorGene{0, 0, 0, 0, 0}, {}};
  repair_operator(spec, cls, rng);  // every position offends: all are drawn
  // Featurizer positions were drawn only where the default was invalid; draw them all.
  for (size_t g = 0; g < spec.groups.size(); ++g)
    for (int p = 0; p < kFeaturizerGenes; ++p) redraw_featurizer_position(spec, g, p, rng);
  return spec;
}

std::string operator_text(const OperatorSpec& spec) {
  std::string s;
  OperatorGene op = spec.op;
  for (int p = 0; p < kOperatorGenes; ++p) s += digit_char(std::clamp(operator_position(op, p), 0, 35));
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    s += g == 0 ? ':' : '.';
    FeaturizerGene gene = spec.groups[g];
    for (int p = 0; p < kFeaturizerGenes; ++p) s += digit_char(std::clamp(featurizer_position(gene, p), 0, 35));
  }
  return s;
}

std::string describe_operator(const OperatorSpec& spec) {
  static const char* featurization[] = {"?", "input-dependent", "explicit", "implicit", "state-space"};
  static const char* mixing[] = {"?", "dense", "low-rank", "semi-separable", "Toeplitz", "diagonal"};
  static const char* sparsity[] = {"?", "no sparsity", "banded", "block-diagonal"};
  static const char* nonlinearity[] = {"?", "identity", "softmax", "feature map", "silu", "gelu", "sigmoid"};
  static const char* channels[] = {"?", "diagonal channels", "dense channels", "multi-head"};
  auto name = [](const char* const* names, int n, int v) { return v >= 1 && v < n ? names[v] : "?"; };
  std::string s = operator_text(spec) + " = " + name(featurization, 5, spec.op.featurization) + ", " +
                  name(mixing, 6, spec.op.token_mixing) + ", " + name(sparsity, 4, spec.op.sparsity) + ", " +
                  name(nonlinearity, 7, spec.op.nonlinearity) + ", " + name(channels, 4, spec.op.channel_mixing);
  if (!find_pair(spec.op)) return s;
  const auto& groups = feature_group_names(spec.op);
  for (size_t g = 0; g < spec.groups.size() && g < groups.size(); ++g) {
    OperatorSpec one{spec.op, {spec.groups[g]}};
    s += std::string(g == 0 ? "; " : ", ") + groups[g] + " " + operator_text(one).substr(6);
  }
  return s;
}

OperatorSpec parse_operator(const std::string& text, const std::string& where) {
  OperatorSpec spec;
  const size_t colon = text.find(':');
  const std::string head = text.substr(0, colon);
  if (head.size() != kOperatorGenes)
    throw GenomeError(where + ": operator genome \"" + excerpt(head) + "\" has " + std::to_string(head.size()) +
                      " characters, expected 5 (featurization, token mixing, sparsity, nonlinearity, channel mixing)");
  auto value = [&](char ch, const std::string& what) {
    const int v = digit_value(ch);
    if (v < 0) throw GenomeError(where + ", " + what + ": '" + std::string(1, ch) + "' is not a digit (0-9, a-z)");
    return v;
  };
  for (int p = 0; p < kOperatorGenes; ++p)
    operator_position(spec.op, p) = value(head[p], std::string("position ") + std::to_string(p + 1));
  if (colon == std::string::npos) throw GenomeError(where + ": no featurizer genes after the operator genome (\":1111.1111...\")");
  size_t start = colon + 1;
  while (true) {
    const size_t end = std::min(text.find('.', start), text.size());
    const std::string group = text.substr(start, end - start);
    const std::string what = "feature group " + std::to_string(spec.groups.size() + 1);
    if (group.size() != kFeaturizerGenes)
      throw GenomeError(where + ", " + what + ": \"" + excerpt(group) + "\" has " + std::to_string(group.size()) +
                        " characters, expected 4 (token mixing, channel mixing, expansion, repeat)");
    FeaturizerGene gene;
    for (int p = 0; p < kFeaturizerGenes; ++p)
      featurizer_position(gene, p) = value(group[p], what + ", position " + std::to_string(p + 1));
    spec.groups.push_back(gene);
    if (end == text.size()) break;
    start = end + 1;
  }
  return spec;
}

}  // namespace star::genome
