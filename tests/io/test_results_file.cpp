// The HDF5 results file: round trip, atomic replacement with the previous version kept, and a
// damaged newest file falling back to the previous one.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <hdf5.h>

#include "io/atomic_file.hpp"
#include "io/results_file.hpp"
#include "../support/every_field.hpp"
#include "../support/file_size_limit.hpp"
#include "../support/scratch_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace star::io;

RunHistory sample_history(int generations) {
  RunHistory h;
  h.config_text = "[run]\nname = \"t\"\n";
  h.objective_names = {"quality", "params"};
  for (int g = 0; g < generations; ++g) {
    GenerationRecord rec;
    rec.index = g;
    rec.rng_state = "state " + std::to_string(g);
    for (int i = 0; i < 3; ++i) {
      Individual p;
      p.genome = "1111" + std::to_string(i);
      p.result.status = i == 2 ? star::train::EvalStatus::diverged : star::train::EvalStatus::ok;
      p.result.loss = i == 2 ? INFINITY : 1.5 + i + g;
      p.result.accuracy = 0.25 * i;
      p.result.parameters = 1000 + i;
      p.result.cache_bytes = 64 * i;
      p.result.tokens = 4096;
      p.result.seconds = 0.5;
      p.result.tokens_per_second = 8192;
      p.result.message = i == 2 ? "loss nan at step 3" : "";
      p.result.peak_memory_bytes = (i + 1) * 1000003;
      for (int k = 0; k < (i == 2 ? 0 : 32 - i); ++k) p.result.loss_curve.push_back(3.0 / (k + 1));
      p.objectives = {p.result.loss, static_cast<double>(p.result.parameters)};
      rec.evaluated.push_back(p);
      p.front_rank = i;
      p.crowding = i == 0 ? INFINITY : 0.5;
      rec.population.push_back(p);
    }
    h.generations.push_back(rec);
  }
  return h;
}

// Removes a test directory. Not std::filesystem::remove_all: torch 2.11's libtorch.so exports
// its own copy of it, which the CUDA build's executables bind to and which crashes (a call
// through a null pointer), seen on the GPU machine.
using star::test::fresh_dir;
using star::test::remove_tree;

TEST(ResultsFile, RoundTrip) {
  auto dir = fresh_dir("roundtrip");
  const auto path = results_path(dir.string());
  const auto h = sample_history(2);
  write_results(path, h);
  const auto r = read_results(path);
  EXPECT_EQ(r.config_text, h.config_text);
  EXPECT_EQ(r.objective_names, h.objective_names);
  ASSERT_EQ(r.generations.size(), 2u);
  for (int g = 0; g < 2; ++g) {
    const auto &a = h.generations[g], &b = r.generations[g];
    EXPECT_EQ(b.index, a.index);
    EXPECT_EQ(b.rng_state, a.rng_state);
    ASSERT_EQ(b.population.size(), a.population.size());
    for (size_t i = 0; i < a.population.size(); ++i) {
      EXPECT_EQ(b.population[i].genome, a.population[i].genome);
      EXPECT_EQ(b.population[i].result.status, a.population[i].result.status);
      EXPECT_EQ(b.population[i].result.message, a.population[i].result.message);
      EXPECT_EQ(b.population[i].result.loss, a.population[i].result.loss);
      EXPECT_EQ(b.population[i].result.parameters, a.population[i].result.parameters);
      EXPECT_EQ(b.population[i].front_rank, a.population[i].front_rank);
      EXPECT_EQ(b.population[i].crowding, a.population[i].crowding);
      EXPECT_EQ(b.population[i].objectives, a.population[i].objectives);
      EXPECT_EQ(b.population[i].result.peak_memory_bytes, a.population[i].result.peak_memory_bytes);
      EXPECT_EQ(b.population[i].result.loss_curve, a.population[i].result.loss_curve);
      EXPECT_EQ(b.evaluated[i].result.loss_curve, a.evaluated[i].result.loss_curve);
      EXPECT_EQ(b.evaluated[i].genome, a.evaluated[i].genome);
    }
  }
  remove_tree(dir);
}

TEST(ResultsFile, ReplacementKeepsThePreviousAndLeavesNoTemporary) {
  auto dir = fresh_dir("replace");
  const auto path = results_path(dir.string());
  write_results(path, sample_history(1));
  write_results(path, sample_history(2));
  EXPECT_EQ(read_results(path).generations.size(), 2u);
  EXPECT_EQ(read_results(previous_results_path(dir.string())).generations.size(), 1u);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  remove_tree(dir);
}

TEST(ResultsFile, DamagedNewestFallsBackToPrevious) {
  auto dir = fresh_dir("damaged");
  const auto path = results_path(dir.string());
  write_results(path, sample_history(1));
  write_results(path, sample_history(2));
  fs::resize_file(path, fs::file_size(path) / 2);  // a crash mid-copy, a full disk...
  std::string note;
  const auto h = read_latest_results(dir.string(), &note);
  EXPECT_EQ(h.generations.size(), 1u);
  EXPECT_NE(note.find("previous checkpoint"), std::string::npos) << note;
  EXPECT_NE(note.find("results.h5"), std::string::npos) << note;
  remove_tree(dir);
}

// A byte changed inside a dataset: HDF5 reads the file happily, the content checksum does not.
TEST(ResultsFile, ChangedValueFailsTheChecksumAndFallsBack) {
  auto dir = fresh_dir("checksum");
  const auto path = results_path(dir.string());
  write_results(path, sample_history(1));
  write_results(path, sample_history(2));
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t data = H5Dopen2(file, "/generations/g000001/evaluated/loss", H5P_DEFAULT);
    ASSERT_GE(data, 0);
    const double changed[3] = {0.125, 0.25, 0.5};
    ASSERT_GE(H5Dwrite(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, changed), 0);
    H5Dclose(data);
    H5Fclose(file);
  }
  try {
    read_results(path);
    FAIL() << "a changed value was not noticed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
  std::string note;
  EXPECT_EQ(read_latest_results(dir.string(), &note).generations.size(), 1u);
  EXPECT_NE(note.find("previous checkpoint"), std::string::npos) << note;
  remove_tree(dir);
}

// A file of format version 1 has no peak_memory_bytes and no loss_curve columns: it is still
// read (a run started by an older star resumes), and a version from the future is refused.
TEST(ResultsFile, VersionOneFilesAreReadAndNewerVersionsRefused) {
  auto dir = fresh_dir("version1");
  const auto path = results_path(dir.string());
  write_results(path, sample_history(2));
  auto set_version = [&](int64_t version, bool drop_new_columns) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    ASSERT_GE(H5Adelete(file, "content_checksum"), 0);  // files before the checksum had none
    const hid_t attr = H5Aopen(file, "format_version", H5P_DEFAULT);
    ASSERT_GE(H5Awrite(attr, H5T_NATIVE_INT64, &version), 0);
    H5Aclose(attr);
    if (drop_new_columns) {
      for (const char* gen : {"g000000", "g000001"})
        for (const char* part : {"evaluated", "population"})
          for (const char* column : {"peak_memory_bytes", "loss_curve"}) {
            const std::string name = std::string("/generations/") + gen + "/" + part + "/" + column;
            ASSERT_GE(H5Ldelete(file, name.c_str(), H5P_DEFAULT), 0) << name;
          }
    }
    H5Fclose(file);
  };
  set_version(1, true);
  const auto h = read_results(path);
  ASSERT_EQ(h.generations.size(), 2u);
  EXPECT_EQ(h.generations[1].population[0].result.loss, sample_history(2).generations[1].population[0].result.loss);
  EXPECT_EQ(h.generations[1].population[0].result.peak_memory_bytes, 0);
  EXPECT_TRUE(h.generations[1].population[0].result.loss_curve.empty());
  write_results(path, sample_history(1));
  set_version(99, false);
  try {
    read_results(path);
    FAIL() << "a newer format version was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("format version 99"), std::string::npos) << e.what();
  }
  remove_tree(dir);
}

TEST(ResultsFile, HypervolumesAreAttributesAndChecksummed) {
  auto dir = fresh_dir("hypervolume");
  const auto path = results_path(dir.string());
  auto h = sample_history(2);
  h.hypervolume_reference = {4.4, 1102.2};
  h.generations[0].hypervolume = 1.25;
  h.generations[1].hypervolume = 2.5;
  h.generations[1].elapsed_seconds = 61.5;
  h.events = {{0, false, "31111-11111-31111"}, {1, false, "11111-11111-11111"}, {1, true, "11111-11111-11111"}};
  write_results(path, h);
  const auto r = read_results(path);
  EXPECT_EQ(r.hypervolume_reference, h.hypervolume_reference);
  EXPECT_EQ(r.generations[0].hypervolume, 1.25);
  EXPECT_EQ(r.generations[1].hypervolume, 2.5);
  EXPECT_EQ(r.generations[0].elapsed_seconds, 0.0);
  EXPECT_EQ(r.generations[1].elapsed_seconds, 61.5);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[1].seq, 1);
  EXPECT_FALSE(r.events[1].result);
  EXPECT_TRUE(r.events[2].result);
  EXPECT_EQ(r.events[2].genome, "11111-11111-11111");
  {  // where h5py and h5dump find them, and a changed value is noticed
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    EXPECT_GT(H5Aexists(file, "hypervolume_reference"), 0);
    const hid_t group = H5Gopen2(file, "/generations/g000001", H5P_DEFAULT);
    const hid_t attr = H5Aopen(group, "hypervolume", H5P_DEFAULT);
    ASSERT_GE(attr, 0);
    double value = 0;
    ASSERT_GE(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), 0);
    EXPECT_EQ(value, 2.5);
    value = 3.0;
    ASSERT_GE(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), 0);
    H5Aclose(attr);
    H5Gclose(group);
    H5Fclose(file);
  }
  EXPECT_THROW(read_results(path), std::runtime_error);
  h.hypervolume_reference.clear();  // no feasible genome yet: no reference attribute
  write_results(path, h);
  EXPECT_TRUE(read_results(path).hypervolume_reference.empty());
  remove_tree(dir);
}

// Makes a file of two generations written now look like one of an older format: sets
// format_version, deletes the root attributes named and each generation's attribute
// `generation_attribute`, and the content checksum (older files had none, or one that did not
// cover what is deleted).
void downgrade(const std::string& path, int64_t version, const std::vector<std::string>& root_attributes,
               const char* generation_attribute) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const auto& name : root_attributes) ASSERT_GE(H5Adelete(file, name.c_str()), 0);
  ASSERT_GE(H5Adelete(file, "content_checksum"), 0);
  for (const char* g : {"/generations/g000000", "/generations/g000001"}) {
    const hid_t group = H5Gopen2(file, g, H5P_DEFAULT);
    ASSERT_GE(H5Adelete(group, generation_attribute), 0);
    H5Gclose(group);
  }
  const hid_t attribute = H5Aopen(file, "format_version", H5P_DEFAULT);
  ASSERT_GE(H5Awrite(attribute, H5T_NATIVE_INT64, &version), 0);
  H5Aclose(attribute);
  H5Fclose(file);
}

// A file of format 1 (before the hypervolumes) still reads: no reference, hypervolumes 0.
TEST(ResultsFile, FormatOneReadsWithoutHypervolumes) {
  auto dir = fresh_dir("format1");
  const auto path = results_path(dir.string());
  auto h = sample_history(2);
  h.hypervolume_reference = {4.4, 1102.2};
  h.generations[1].hypervolume = 2.5;
  write_results(path, h);
  // strip what format 2 added (format 1 files of the time had no checksum either)
  downgrade(path, 1, {"hypervolume_reference"}, "hypervolume");
  const auto r = read_results(path);
  EXPECT_TRUE(r.hypervolume_reference.empty());
  ASSERT_EQ(r.generations.size(), 2u);
  EXPECT_EQ(r.generations[1].hypervolume, 0.0);
  remove_tree(dir);
}

// A file of format 2 (before the wall times) still reads: elapsed_seconds 0.
TEST(ResultsFile, FormatTwoReadsWithoutWallTimes) {
  auto dir = fresh_dir("format2");
  const auto path = results_path(dir.string());
  auto h = sample_history(2);
  h.generations[1].hypervolume = 2.5;
  h.generations[1].elapsed_seconds = 9.0;
  write_results(path, h);
  // strip what format 3 added, and the checksum, which covered it
  downgrade(path, 2, {}, "elapsed_seconds");
  const auto r = read_results(path);
  ASSERT_EQ(r.generations.size(), 2u);
  EXPECT_EQ(r.generations[1].hypervolume, 2.5);
  EXPECT_EQ(r.generations[1].elapsed_seconds, 0.0);
  remove_tree(dir);
}

// Every field of the evaluation record, whatever its type, comes back bit for bit from both the
// evaluated and the population columns.
TEST(ResultsFile, EveryFieldRoundTrips) {
  auto dir = fresh_dir("every_field");
  const auto path = results_path(dir.string());
  auto h = sample_history(1);
  h.generations[0].evaluated[1].result = star::test::every_field_set();
  h.generations[0].population[0].result = star::test::every_field_set();
  h.generations[0].population[0].result.hurdle_losses.push_back(4.0);  // rows of different widths
  write_results(path, h);
  const auto r = read_results(path);
  star::test::expect_same_fields(r.generations[0].evaluated[1].result, h.generations[0].evaluated[1].result);
  star::test::expect_same_fields(r.generations[0].population[0].result, h.generations[0].population[0].result);
  star::test::expect_same_fields(r.generations[0].population[1].result, h.generations[0].population[1].result);
  remove_tree(dir);
}

// Makes a file written now look like one of an older format `version`: the columns that format
// lacks removed from every generation's tables, the checksum (which covered them) removed.
void as_older_format(const std::string& path, int64_t version, const std::vector<std::string>& generations,
                     const std::vector<std::string>& columns) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const auto& gen : generations)
    for (const char* part : {"evaluated", "population"})
      for (const auto& column : columns) {
        const std::string name = "/generations/" + gen + "/" + part + "/" + column;
        ASSERT_GE(H5Ldelete(file, name.c_str(), H5P_DEFAULT), 0) << name;
      }
  ASSERT_GE(H5Adelete(file, "content_checksum"), 0);
  const hid_t attribute = H5Aopen(file, "format_version", H5P_DEFAULT);
  ASSERT_GE(H5Awrite(attribute, H5T_NATIVE_INT64, &version), 0);
  H5Aclose(attribute);
  H5Fclose(file);
}

// A file of format 3 (before the hurdles' columns) still reads: fidelity 1, no hurdle losses.
TEST(ResultsFile, FormatThreeReadsWithoutHurdles) {
  auto dir = fresh_dir("format3");
  const auto path = results_path(dir.string());
  auto h = sample_history(2);
  h.generations[1].population[0].result.fidelity = 0.25;
  h.generations[1].population[0].result.hurdle_losses = {2.5};
  write_results(path, h);
  // strip what format 4 added: the columns, and the checksum, which covered them
  as_older_format(path, 3, {"g000000", "g000001"}, {"fidelity", "hurdle_losses"});
  const auto r = read_results(path);
  ASSERT_EQ(r.generations.size(), 2u);
  EXPECT_EQ(r.generations[1].population[0].result.fidelity, 1.0);
  EXPECT_TRUE(r.generations[1].population[0].result.hurdle_losses.empty());
  EXPECT_EQ(r.generations[1].population[0].result.loss_curve, h.generations[1].population[0].result.loss_curve);
  remove_tree(dir);
}

// A file of format 4 (before the measured inference's columns) still reads: those are 0.
TEST(ResultsFile, FormatFourReadsWithoutMeasuredInference) {
  auto dir = fresh_dir("format4");
  const auto path = results_path(dir.string());
  auto h = sample_history(1);
  h.generations[0].population[0].result.decode_ms = 2.5;
  h.generations[0].population[0].result.fidelity = 0.5;
  write_results(path, h);
  // strip what format 5 added: the columns, and the checksum, which covered them
  as_older_format(path, 4, {"g000000"}, {"prefill_ms", "decode_ms", "inference_memory_bytes"});
  const auto r = read_results(path);
  EXPECT_EQ(r.generations[0].population[0].result.decode_ms, 0.0);
  EXPECT_EQ(r.generations[0].population[0].result.fidelity, 0.5);
  remove_tree(dir);
}

TEST(ResultsFile, NotAnHdf5FileIsNamedInTheError) {
  auto dir = fresh_dir("garbage");
  const auto path = results_path(dir.string());
  std::ofstream(path) << "not hdf5";
  try {
    read_results(path);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_latest_results(dir.string(), nullptr), std::runtime_error);
  remove_tree(dir);
}

// A run directory the system cannot name (a component longer than 255 bytes) holds no results:
// an answer, not an uncaught filesystem_error.
TEST(ResultsFile, AnUnnameableDirectoryHoldsNoResults) {
  EXPECT_FALSE(star::io::has_results(std::string(300, 'x')));
}

// A checkpoint that cannot be written (a full disk) is a WriteError naming it and the system's
// reason; the previous checkpoint stays whole and no temporary file is left.
TEST(ResultsFile, AFailedWriteNamesTheFileAndKeepsThePrevious) {
  auto dir = fresh_dir("full");
  const auto path = results_path(dir.string());
  write_results(path, sample_history(1));
  {
    star::test::FileSizeLimit full(2048);
    try {
      write_results(path, sample_history(3));
      FAIL() << "a checkpoint past the limit was written";
    } catch (const star::io::WriteError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot write " + path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("File too large"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(read_results(path).generations.size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  remove_tree(dir);
}

}  // namespace
