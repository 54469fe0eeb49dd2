#pragma once
// The one-character digits of genome text (the backbone and the operator entries): 0-9, then
// a-z for 10-35; upper case reads as lower case.
namespace star::genome {

// -1 for a character that is no base-36 digit.
inline int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

inline char digit_char(int v) {  // v in 0..35
  return static_cast<char>(v <= 9 ? '0' + v : 'a' + v - 10);
}

}  // namespace star::genome
