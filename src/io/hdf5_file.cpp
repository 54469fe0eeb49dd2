#include "io/hdf5_file.hpp"

namespace star::io::h5 {
namespace {

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Error("HDF5: cannot " + what);
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) throw Error("HDF5: cannot " + what);
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), "copy the string type");
  check_status(H5Tset_size(type.id(), H5T_VARIABLE), "make a variable-length string type");
  check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set UTF-8 strings");
  return type;
}

Handle simple_space(std::vector<hsize_t> dims) {
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "create a dataspace");
}

template <class T>
void write_column(const Handle& group, const std::string& name, hid_t mem_type, hid_t file_type,
                  const std::vector<T>& values) {
  auto space = simple_space({values.size()});
  Handle set(H5Dcreate2(group.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             "create dataset " + name);
  if (!values.empty())
    check_status(H5Dwrite(set.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write dataset " + name);
}

template <class T>
std::vector<T> read_column(const Handle& group, const std::string& name, hid_t mem_type) {
  Handle set(H5Dopen2(group.id(), name.c_str(), H5P_DEFAULT), "open dataset " + name);
  Handle space(H5Dget_space(set.id()), "read the shape of " + name);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) throw Error("HDF5: cannot read the size of " + name);
  std::vector<T> values(static_cast<size_t>(n));
  if (n > 0)
    check_status(H5Dread(set.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read dataset " + name);
  return values;
}

}  // namespace

Handle::Handle(hid_t id, std::string what) : id_(check(id, what)) {}
Handle::Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    close();
    id_ = other.id_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}
Handle::~Handle() { close(); }

void Handle::close() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = H5I_INVALID_HID;
}

void silence_library_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle create_file_in_memory(const std::string& name) {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), "create file access properties");
  check_status(H5Pset_fapl_core(access.id(), 1 << 20, /*backing_store=*/0), "hold " + name + " in memory");
  return Handle(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.id()), "create " + name + " in memory");
}

std::string file_image(const Handle& file) {
  check_status(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "flush a file");
  const ssize_t size = H5Fget_file_image(file.id(), nullptr, 0);
  if (size < 0) throw Error("HDF5: cannot size a file image");
  std::string image(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(file.id(), image.data(), image.size()) != size) throw Error("HDF5: cannot copy a file image");
  return image;
}

Handle open_file_readonly(const std::string& path) {
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path + " (not an HDF5 file, or damaged)");
}

Handle create_group(const Handle& parent, const std::string& name) {
  return Handle(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group " + name);
}

Handle open_group(const Handle& parent, const std::string& name) {
  return Handle(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT), "open group " + name);
}

bool has_child(const Handle& parent, const std::string& name) {
  return H5Lexists(parent.id(), name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> child_names(const Handle& group) {
  H5G_info_t info;
  check_status(H5Gget_info(group.id(), &info), "list a group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len = H5Lget_name_by_idx(group.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) throw Error("HDF5: cannot read a member name");
    std::string name(static_cast<size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(group.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<size_t>(len));
    names.push_back(name);
  }
  return names;
}

void write_strings(const Handle& group, const std::string& name, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  auto type = string_type();
  write_column(group, name, type.id(), type.id(), ptrs);
}

void write_int64s(const Handle& group, const std::string& name, const std::vector<int64_t>& values) {
  write_column(group, name, H5T_NATIVE_INT64, H5T_STD_I64LE, values);
}

void write_doubles(const Handle& group, const std::string& name, const std::vector<double>& values) {
  write_column(group, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, values);
}

void write_matrix(const Handle& group, const std::string& name, const std::vector<std::vector<double>>& rows,
                  size_t cols) {
  std::vector<double> flat;
  for (const auto& r : rows) {
    if (r.size() != cols) throw Error("HDF5: matrix " + name + " has rows of different lengths");
    flat.insert(flat.end(), r.begin(), r.end());
  }
  auto space = simple_space({rows.size(), cols});
  Handle set(H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             "create dataset " + name);
  if (!flat.empty())
    check_status(H5Dwrite(set.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()),
                 "write dataset " + name);
}

std::vector<std::string> read_strings(const Handle& group, const std::string& name) {
  auto type = string_type();
  auto ptrs = read_column<char*>(group, name, type.id());
  std::vector<std::string> values;
  for (char* p : ptrs) {
    values.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return values;
}

std::vector<int64_t> read_int64s(const Handle& group, const std::string& name) {
  return read_column<int64_t>(group, name, H5T_NATIVE_INT64);
}

std::vector<double> read_doubles(const Handle& group, const std::string& name) {
  return read_column<double>(group, name, H5T_NATIVE_DOUBLE);
}

std::vector<std::vector<double>> read_matrix(const Handle& group, const std::string& name) {
  Handle set(H5Dopen2(group.id(), name.c_str(), H5P_DEFAULT), "open dataset " + name);
  Handle space(H5Dget_space(set.id()), "read the shape of " + name);
  if (H5Sget_simple_extent_ndims(space.id()) != 2) throw Error("HDF5: dataset " + name + " is not a matrix");
  hsize_t dims[2];
  H5Sget_simple_extent_dims(space.id(), dims, nullptr);
  std::vector<double> flat(dims[0] * dims[1]);
  if (!flat.empty())
    check_status(H5Dread(set.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()), "read dataset " + name);
  std::vector<std::vector<double>> rows(dims[0]);
  for (hsize_t r = 0; r < dims[0]; ++r) rows[r].assign(flat.begin() + r * dims[1], flat.begin() + (r + 1) * dims[1]);
  return rows;
}

void set_attribute(const Handle& object, const std::string& name, const std::string& value) {
  auto type = string_type();
  Handle space(H5Screate(H5S_SCALAR), "create a scalar dataspace");
  Handle attr(H5Acreate2(object.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  const char* ptr = value.c_str();
  check_status(H5Awrite(attr.id(), type.id(), &ptr), "write attribute " + name);
}

void set_attribute(const Handle& object, const std::string& name, int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), "create a scalar dataspace");
  Handle attr(H5Acreate2(object.id(), name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  check_status(H5Awrite(attr.id(), H5T_NATIVE_INT64, &value), "write attribute " + name);
}

std::string string_attribute(const Handle& object, const std::string& name) {
  Handle attr(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), "open attribute " + name);
  auto type = string_type();
  char* ptr = nullptr;
  check_status(H5Aread(attr.id(), type.id(), &ptr), "read attribute " + name);
  std::string value = ptr ? ptr : "";
  H5free_memory(ptr);
  return value;
}

int64_t int_attribute(const Handle& object, const std::string& name) {
  Handle attr(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), "open attribute " + name);
  int64_t value = 0;
  check_status(H5Aread(attr.id(), H5T_NATIVE_INT64, &value), "read attribute " + name);
  return value;
}

void set_double_attribute(const Handle& object, const std::string& name, double value) {
  set_doubles_attribute(object, name, {value});
}

void set_doubles_attribute(const Handle& object, const std::string& name, const std::vector<double>& values) {
  // One value is written as a scalar (h5py reads a float), more as a 1-D array.
  const hsize_t n = values.size();
  Handle space(n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), "create an attribute dataspace");
  Handle attr(H5Acreate2(object.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  check_status(H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, values.data()), "write attribute " + name);
}

std::vector<double> doubles_attribute(const Handle& object, const std::string& name) {
  Handle attr(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), "open attribute " + name);
  Handle space(H5Aget_space(attr.id()), "get the dataspace of attribute " + name);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) throw Error("HDF5: cannot size attribute " + name);
  std::vector<double> values(static_cast<size_t>(n));
  if (n > 0) check_status(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, values.data()), "read attribute " + name);
  return values;
}

double double_attribute(const Handle& object, const std::string& name) {
  const auto values = doubles_attribute(object, name);
  if (values.size() != 1) throw Error("attribute " + name + " holds " + std::to_string(values.size()) + " values, not 1");
  return values[0];
}

bool has_attribute(const Handle& object, const std::string& name) {
  return H5Aexists(object.id(), name.c_str()) > 0;
}

}  // namespace star::io::h5
