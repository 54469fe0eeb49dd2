#pragma once
// Builders of the schema's fields (config_schema.hpp), one per TOML type: each takes the key, the
// struct member that holds the value (and its default), the bounds, the resume rule and a
// one-line description, and makes the field's reader and its exact text. Private to src/io.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/config_schema.hpp"
#include "io/toml_section.hpp"

namespace star::io::fields {

// Exact text of a value: integers in full, numbers in the fewest digits that read back the same
// double (whole numbers below 1e15 as integers), strings quoted, arrays in brackets (TOML's own spelling).
std::string exact(int64_t value);
std::string exact(double value);
std::string exact(const std::string& value);
template <class T>
std::string exact(const std::vector<T>& values) {
  std::string text = "[";
  for (const auto& v : values) text += (text.size() > 1 ? ", " : "") + exact(v);
  return text + "]";
}
std::string range(int64_t min, int64_t max);
std::string range(double min, double max);
std::string one_of(const std::vector<std::string>& allowed);  // "\"a\", \"b\""

template <class S, class M>
Field<S> integer(const char* key, M S::*member, int64_t min, int64_t max, Resume resume, const char* description) {
  return {key, "integer", range(min, max), resume, description,
          [=](TomlSection& t, S& s, const Config&) {
            s.*member = static_cast<M>(t.integer(key, static_cast<int64_t>(s.*member), min, max));
          },
          [=](const S& s) { return exact(static_cast<int64_t>(s.*member)); }};
}

// An integer whose upper bound depends on keys read before it (`max_of`, spelt `max_text`).
template <class S, class M, class MaxOf>
Field<S> integer_below(const char* key, M S::*member, int64_t min, MaxOf max_of, const char* max_text,
                       Resume resume, const char* description) {
  return {key, "integer", exact(min) + ".." + max_text, resume, description,
          [=](TomlSection& t, S& s, const Config& so_far) {
            s.*member = static_cast<M>(t.integer(key, static_cast<int64_t>(s.*member), min, max_of(s, so_far)));
          },
          [=](const S& s) { return exact(static_cast<int64_t>(s.*member)); }};
}

template <class S>
Field<S> number(const char* key, double S::*member, double min, double max, Resume resume, const char* description) {
  return {key, "number", range(min, max), resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = t.number(key, s.*member, min, max); },
          [=](const S& s) { return exact(s.*member); }};
}

template <class S>
Field<S> boolean(const char* key, bool S::*member, Resume resume, const char* description) {
  return {key, "boolean", "true, false", resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = t.boolean(key, s.*member); },
          [=](const S& s) { return std::string(s.*member ? "true" : "false"); }};
}

// A string; `allowed` empty: any string.
template <class S>
Field<S> text(const char* key, std::string S::*member, std::vector<std::string> allowed, Resume resume,
              const char* description) {
  return {key, "string", one_of(allowed), resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = t.string(key, s.*member, allowed); },
          [=](const S& s) { return exact(s.*member); }};
}

// A string that names a value of an enum: `name` and `from_name` convert.
template <class S, class E>
Field<S> named(const char* key, E S::*member, std::vector<std::string> allowed, std::string (*name)(E),
               E (*from_name)(const std::string&), Resume resume, const char* description) {
  return {key, "string", one_of(allowed), resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = from_name(t.string(key, name(s.*member), allowed)); },
          [=](const S& s) { return exact(name(s.*member)); }};
}

template <class S>
Field<S> texts(const char* key, std::vector<std::string> S::*member, Resume resume, std::string description) {
  return {key, "array of strings", "", resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = t.strings(key, s.*member); },
          [=](const S& s) { return exact(s.*member); }};
}

template <class S, class T>
Field<S> integers(const char* key, std::vector<T> S::*member, int64_t min, int64_t max, Resume resume,
                  const char* description) {
  return {key, "array of integers", "each " + range(min, max), resume, description,
          [=](TomlSection& t, S& s, const Config&) {
            const auto values = t.integers(key, std::vector<int64_t>((s.*member).begin(), (s.*member).end()), min, max);
            (s.*member).assign(values.begin(), values.end());
          },
          [=](const S& s) { return exact(std::vector<int64_t>((s.*member).begin(), (s.*member).end())); }};
}

template <class S>
Field<S> numbers(const char* key, std::vector<double> S::*member, double min, double max, Resume resume,
                 const char* description) {
  return {key, "array of numbers", "each " + range(min, max), resume, description,
          [=](TomlSection& t, S& s, const Config&) { s.*member = t.numbers(key, s.*member, min, max); },
          [=](const S& s) { return exact(s.*member); }};
}

// Changes the default that the reference prints (when it is not the struct's own).
template <class S>
Field<S> with_default(Field<S> field, std::string default_text) {
  field.default_text = std::move(default_text);
  return field;
}

// A section's fields as fields of the whole configuration, its values at `part`.
template <class S>
Section section(const char* name, S Config::*part, const std::vector<Field<S>>& fields) {
  Section out{name, {}};
  for (const auto& f : fields)
    out.fields.push_back({f.key, f.type, f.bounds, f.resume, f.description,
                          [part, read = f.read](TomlSection& t, Config& c, const Config& so_far) {
                            read(t, c.*part, so_far);
                          },
                          [part, value = f.value](const Config& c) { return value(c.*part); }, f.default_text});
  return out;
}

}  // namespace star::io::fields
