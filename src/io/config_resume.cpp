// Which settings a resume may change: the schema's must-match fields, compared value by value.
#include "io/config_schema.hpp"

namespace star::io {
namespace {

template <class S>
void differing(const std::vector<Field<S>>& fields, const S& now, const S& then, const std::string& section,
               std::vector<std::string>& keys) {
  for (const auto& f : fields)
    if (f.resume == Resume::must_match && f.value(now) != f.value(then)) keys.push_back(section + " " + f.key);
}

std::vector<std::string> kinds(const Config& c) {
  std::vector<std::string> out;
  for (const auto& t : c.tasks) out.push_back(t.kind);
  return out;
}

// "[task]" for a change between kind and suite; a `kind` configuration's keys as "[task] key";
// a suite's members as "[task] suite", each member's keys as "[task.<kind>] key" ([task] seed
// reaches every member's seed).
void differing_tasks(const Config& now, const Config& then, std::vector<std::string>& keys) {
  if (now.task_suite != then.task_suite) {
    keys.push_back("[task]");
    return;
  }
  if (!now.task_suite) return differing(task_fields(), now.task(), then.task(), "[task]", keys);
  if (kinds(now) != kinds(then)) {
    keys.push_back("[task] suite");
    return;
  }
  for (size_t i = 0; i < now.tasks.size(); ++i)
    differing(suite_task_fields(), now.tasks[i], then.tasks[i], "[task." + now.tasks[i].kind + "]", keys);
}

}  // namespace

std::vector<std::string> resume_differences(const Config& now, const Config& then) {
  std::vector<std::string> keys;
  for (const auto& section : config_sections()) {
    differing(section.fields, now, then, "[" + section.name + "]", keys);
    if (task_follows(section)) differing_tasks(now, then, keys);  // in the order of the file
  }
  return keys;
}

}  // namespace star::io
