// Rank 0's hurdle board as the run builds it (app::hurdle_board): a hurdle stops nothing until
// half a population of genomes reached it, then hands out the front that decides the verdict.
#include <gtest/gtest.h>

#include <string>

#include "app/evaluate_genome.hpp"
#include "io/config.hpp"

namespace {

using namespace star;

io::Config config_with_population(int population) {
  const std::string text = "[train]\nhurdles = [[0.5, 50]]\n[evolution]\npopulation = " +
                           std::to_string(population) + "\nobjectives = [\"quality\", \"params\"]\n";
  return io::parse_config(text, "hurdles.toml");
}

// A genome that trained to the end, with loss `loss` at the hurdle and `parameters` parameters.
train::EvalResult trained(double loss, int64_t parameters) {
  train::EvalResult r;
  r.status = train::EvalStatus::ok;
  r.loss = loss;
  r.parameters = parameters;
  r.hurdle_losses = {loss};
  return r;
}

TEST(HurdleBoard, QuorumIsHalfAPopulationAndAtLeastTwo) {
  EXPECT_EQ(app::hurdle_quorum(config_with_population(16)), 8u);
  EXPECT_EQ(app::hurdle_quorum(config_with_population(7)), 4u);
  EXPECT_EQ(app::hurdle_quorum(config_with_population(2)), 2u);
}

// Population 8: the first 3 genomes hand out nothing (none can be stopped); the fourth makes the
// quorum, and the handout is then the deciding front at the 50th percentile. Same parameters, so
// quality alone orders them: of 1, 2, 3, 4, two are ahead of 3 (the cut), and 3 decides.
TEST(HurdleBoard, StopsNothingBeforeTheQuorumReachedAHurdle) {
  const auto config = config_with_population(8);
  auto board = app::hurdle_board(config, io::RunHistory{});
  for (double loss : {4.0, 1.0, 3.0}) {
    board.record(trained(loss, 100));
    EXPECT_TRUE(board.handout()[0].empty()) << "after the genome with loss " << loss;
  }
  board.record(trained(2.0, 100));
  EXPECT_EQ(board.handout()[0], (std::vector<train::HurdlePoint>{{3.0, 100.0}}));
}

}  // namespace
