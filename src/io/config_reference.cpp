// The configuration reference, printed from the schema (`star check --explain`).
#include "io/config_schema.hpp"

namespace star::io {
namespace {

// "  key = default  (type, bounds; must match on resume)\n      description\n"
template <class S>
std::string describe(const Field<S>& f, const S& defaults) {
  std::string line = "  " + f.key + " = " + (f.default_text.empty() ? f.value(defaults) : f.default_text) + "  (" +
                     f.type + (f.bounds.empty() ? "" : ", " + f.bounds) + "; " +
                     (f.resume == Resume::must_match ? "must match on resume" : "may change on resume") + ")\n";
  return line + "      " + f.description + "\n";
}

}  // namespace

std::string config_reference() {
  std::string text =
      "Every key of a run configuration, with its default, TOML type, bounds, whether `star evolve --resume`\n"
      "may continue a checkpoint whose configuration holds another value, and what it sets. Every key is\n"
      "optional.\n";
  const Config defaults;
  for (const auto& section : config_sections()) {
    text += "\n[" + section.name + "]\n";
    for (const auto& f : section.fields) text += describe(f, defaults);
    if (!task_follows(section)) continue;
    text += "\n[task]  one task (kind) or several (suite); a kind's sizes default to its MAD baseline\n";
    for (const auto& f : task_fields()) text += describe(f, defaults.task());
    text += "\n[task]  with suite: only these two keys; each member's sizes in its own table [task.<kind>]\n";
    for (const auto& f : task_suite_fields()) text += describe(f, TaskSuite{});
    text += "\n[task.<kind>]  a suite member's sizes: ";
    for (const auto& f : suite_task_fields()) text += f.key + (&f == &suite_task_fields().back() ? "\n" : ", ");
    text += "      as in [task] (bounds, resume rule), each defaulting to the kind's MAD baseline\n";
  }
  return text;
}

}  // namespace star::io
