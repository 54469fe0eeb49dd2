#pragma once
// The configuration schema, declared once (config_schema.cpp): every key of every section with
// its TOML type, bounds, default, one-line description and whether a resume may change it.
// The reader (parse_config), the resume check (resume_differences) and the reference that
// `star check --explain` prints (config_reference) all walk these tables.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/config.hpp"

namespace star::io {

class TomlSection;

// Whether `star evolve --resume` may continue a checkpoint whose configuration holds another
// value of the key. Every field states it: a field without one does not compile.
enum class Resume {
  must_match,  // changes what a genome's score means, or the search's random stream
  may_change,  // operational: where the run goes, how fast it runs, how long it may run
};

// One key of a section whose values live in the struct S.
//   read: takes the key from the section's TOML table into `values`; the value already there is
//         the default; `so_far` is the configuration read up to this key (for bounds and
//         defaults that depend on other keys: [evolution] elite_count < population).
//   value: the value as exact text (equal texts, equal values): the resume check compares it and
//         the reference prints it as the default.
template <class S>
struct Field {
  std::string key;
  std::string type;    // "integer", "number", "string", "array of strings", ...
  std::string bounds;  // "1..1024", "\"auto\", \"cpu\", \"cuda\"", "" when any value of the type
  Resume resume;
  std::string description;
  std::function<void(TomlSection& section, S& values, const Config& so_far)> read;
  std::function<std::string(const S& values)> value;
  std::string default_text = "";  // when the default is not the struct's own ("runs/<name>")
};

// A section [name] of the configuration: its fields, in the order parse_config reads them.
struct Section {
  std::string name;
  std::vector<Field<Config>> fields;
};

// Every section but [task], in the order they are read: run, genome, model, train, metrics,
// evolution, dist.
const std::vector<Section>& config_sections();
// [task] has no table of its own here (task_fields and the suite's below); in the file, the
// reference and the resume check it comes right after this section.
bool task_follows(const Section& section);
const Section& config_section(const std::string& name);  // throws std::out_of_range

// [task] with kind: the task's keys (kind first: it sets the other keys' defaults to the kind's
// MAD baseline). A suite member's table [task.<kind>] takes the sizes only (suite_task_fields).
const std::vector<Field<train::TaskConfig>>& task_fields();
const std::vector<Field<train::TaskConfig>>& suite_task_fields();

// [task] with suite: the members, in order, and the seed every member's data seed derives from.
struct TaskSuite {
  std::vector<std::string> kinds;
  uint64_t seed = train::TaskConfig{}.seed;
};
const std::vector<Field<TaskSuite>>& task_suite_fields();

// The must-match keys whose values differ between a configuration and the one a checkpoint was
// written with, as "[section] key" ("[task.<kind>] key" for a suite member, "[task] suite" for
// other members, "[task]" for a change between kind and suite); empty when the run may resume.
std::vector<std::string> resume_differences(const Config& now, const Config& then);

// Every section and key with its type, default, bounds, resume rule and description: the
// configuration reference (`star check --explain`).
std::string config_reference();

}  // namespace star::io
