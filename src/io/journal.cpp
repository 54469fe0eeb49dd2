#include "io/journal.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "core/exact_text.hpp"
#include "io/checksum.hpp"
#include "io/durable_append.hpp"

namespace star::io {
namespace {

// "star-journal-<F>": a line of record format F (core/eval_result.hpp) holds the magic, the
// generation, the genome, the fields of that format in table order, then the checksum. Lines of
// formats 1 (no peak memory, no loss curve) and 2 (no hurdles) are still read.
constexpr const char* kMagicPrefix = "star-journal-";

// The record format a line's magic names, or 0 when it names none this program reads.
int record_format(const std::string& magic) {
  for (int format = 1; format <= train::kEvalRecordFormat; ++format)
    if (magic == kMagicPrefix + std::to_string(format)) return format;
  return 0;
}

// Fields of a format's line: magic, generation, genome, the record's fields, then the checksum.
size_t field_count(int format) {
  size_t n = 4;
  for (const auto& field : train::eval_result_fields()) n += field.since <= format ? 1 : 0;
  return n;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

bool parse_int(const std::string& s, int64_t& v) {
  char* end = nullptr;
  errno = 0;
  v = std::strtoll(s.c_str(), &end, 10);
  return !s.empty() && errno == 0 && end == s.c_str() + s.size();
}

std::string file_prefix(int generation) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "g%06d-", generation);
  return buf;
}

std::vector<std::string> journal_files(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 4 && name[0] == 'g' && name.compare(name.size() - 4, 4, ".log") == 0) names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string journal_directory(const std::string& run_dir) { return run_dir + "/journal"; }

namespace {

std::string field_text(const train::EvalResult& r, const train::EvalResultField& field) {
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = r.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, train::EvalStatus>) return train::to_string(value);
        else if constexpr (std::is_same_v<T, double>) return core::exact_text(value);
        else if constexpr (std::is_same_v<T, int64_t>) return std::to_string(value);
        else if constexpr (std::is_same_v<T, std::vector<double>>) return core::exact_list_text(value);
        else return escape(value);
      },
      field.member);
}

// False for text that is not a value of the field's type (and for the status interrupted,
// which is never a result).
bool parse_field(const std::string& text, train::EvalResult& r, const train::EvalResultField& field) {
  return std::visit(
      [&](auto member) -> bool {
        auto& value = r.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, train::EvalStatus>) {
          try {
            value = train::eval_status_from_string(text);
          } catch (const std::exception&) {
            return false;
          }
          return value != train::EvalStatus::interrupted;
        } else if constexpr (std::is_same_v<T, double>) {
          return core::parse_exact(text, value);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return parse_int(text, value);
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          return core::parse_exact_list(text, value);
        } else {
          value = unescape(text);
          return true;
        }
      },
      field.member);
}

}  // namespace

std::string format_journal_line(const JournalRecord& r) {
  std::string line = kMagicPrefix + std::to_string(train::kEvalRecordFormat) + '\t' + std::to_string(r.generation) +
                     '\t' + escape(r.genome);
  for (const auto& field : train::eval_result_fields()) line += '\t' + field_text(r.result, field);
  char sum[24];
  std::snprintf(sum, sizeof sum, "%016" PRIx64, fnv1a(line));
  return line + '\t' + sum + '\n';
}

bool parse_journal_line(const std::string& raw, JournalRecord& r) {
  if (raw.empty() || raw.back() != '\n') return false;  // torn: the writer died mid-line
  const std::string line = raw.substr(0, raw.size() - 1);
  const size_t last_tab = line.rfind('\t');
  if (last_tab == std::string::npos) return false;
  char sum[24];
  std::snprintf(sum, sizeof sum, "%016" PRIx64, fnv1a(line.substr(0, last_tab)));
  if (line.compare(last_tab + 1, std::string::npos, sum) != 0) return false;
  std::vector<std::string> f;
  std::stringstream in(line);
  for (std::string part; std::getline(in, part, '\t');) f.push_back(part);
  const int format = f.empty() ? 0 : record_format(f[0]);
  if (format == 0 || f.size() != field_count(format)) return false;
  int64_t generation = 0;
  if (!parse_int(f[1], generation)) return false;
  r.result = train::EvalResult{};
  size_t next = 3;
  for (const auto& field : train::eval_result_fields())
    if (field.since <= format && !parse_field(f[next++], r.result, field)) return false;
  r.generation = static_cast<int>(generation);
  r.genome = unescape(f[2]);
  return true;
}

JournalWriter::JournalWriter(const std::string& run_dir, int group) : dir_(journal_directory(run_dir)), group_(group) {}

void JournalWriter::append(const JournalRecord& record) {
  if (record.result.status == train::EvalStatus::interrupted)
    throw std::logic_error("an interrupted training is not a result and is never journaled");
  char name[48];
  std::snprintf(name, sizeof name, "%sgroup-%04d.log", file_prefix(record.generation).c_str(), group_);
  append_durably(dir_, name, format_journal_line(record));
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

JournalReplay read_journal(const std::string& run_dir, int generation) {
  JournalReplay replay;
  const std::string dir = journal_directory(run_dir), prefix = file_prefix(generation);
  for (const auto& name : journal_files(dir)) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    for (const auto& line : read_lines(dir + "/" + name)) {
      JournalRecord record;
      if (parse_journal_line(line, record) && record.generation == generation) replay.records.push_back(record);
      else ++replay.skipped_lines;
    }
  }
  return replay;
}

bool has_journal(const std::string& run_dir) { return !journal_files(journal_directory(run_dir)).empty(); }

void prune_journal(const std::string& run_dir, int generation) {
  const std::string dir = journal_directory(run_dir);
  for (const auto& name : journal_files(dir))
    if (std::atoi(name.c_str() + 1) < generation) ::unlink((dir + "/" + name).c_str());
}

}  // namespace star::io
