#pragma once
// A thin RAII layer over the HDF5 C API for the few shapes the results file uses: 1-D columns
// of strings, integers and doubles, 2-D double matrices, and string, integer or double attributes.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace star::io::h5 {

class Error : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Owns an HDF5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id, std::string what);
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t id() const { return id_; }

 private:
  void close();
  hid_t id_ = H5I_INVALID_HID;
};

// A new file held in memory (the core driver, no backing store), and its bytes once written: the
// caller writes them out with checked writes. HDF5 itself never meets a full disk, which it does
// not survive (a failed flush leaves a file that crashes the library when it shuts down).
Handle create_file_in_memory(const std::string& name);
std::string file_image(const Handle& file);
Handle open_file_readonly(const std::string& path);
Handle create_group(const Handle& parent, const std::string& name);
Handle open_group(const Handle& parent, const std::string& name);
bool has_child(const Handle& parent, const std::string& name);
std::vector<std::string> child_names(const Handle& group);

void write_strings(const Handle& group, const std::string& name, const std::vector<std::string>& values);
void write_int64s(const Handle& group, const std::string& name, const std::vector<int64_t>& values);
void write_doubles(const Handle& group, const std::string& name, const std::vector<double>& values);
// rows x cols, row-major; cols is stored so an empty matrix keeps its width.
void write_matrix(const Handle& group, const std::string& name, const std::vector<std::vector<double>>& rows, size_t cols);

std::vector<std::string> read_strings(const Handle& group, const std::string& name);
std::vector<int64_t> read_int64s(const Handle& group, const std::string& name);
std::vector<double> read_doubles(const Handle& group, const std::string& name);
std::vector<std::vector<double>> read_matrix(const Handle& group, const std::string& name);

void set_attribute(const Handle& object, const std::string& name, const std::string& value);
void set_attribute(const Handle& object, const std::string& name, int64_t value);
std::string string_attribute(const Handle& object, const std::string& name);
int64_t int_attribute(const Handle& object, const std::string& name);
// Doubles: one value as a scalar attribute, several as a 1-D array.
void set_double_attribute(const Handle& object, const std::string& name, double value);
void set_doubles_attribute(const Handle& object, const std::string& name, const std::vector<double>& values);
double double_attribute(const Handle& object, const std::string& name);
std::vector<double> doubles_attribute(const Handle& object, const std::string& name);
bool has_attribute(const Handle& object, const std::string& name);

// Turns HDF5's own error printing off for this process (we report errors ourselves).
void silence_library_errors();

}  // namespace star::io::h5
