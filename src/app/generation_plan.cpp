#include "app/generation_plan.hpp"

#include <set>

#include "cluster/dispatch_order.hpp"
#include "genome/genome.hpp"
#include "io/journal.hpp"
#include "model/cost_estimate.hpp"

namespace star::app {

double estimated_training_flops(const genome::Genome& genome, const io::Config& config) {
  double flops = 0;
  for (const auto& task : config.tasks)
    flops += model::training_flops(genome, io::task_model(config, task), task.seq_len, config.train.token_budget);
  return flops;
}

std::vector<std::string> longest_first(const std::vector<std::string>& genomes, const io::Config& config) {
  std::vector<double> costs;
  for (const auto& text : genomes) costs.push_back(estimated_training_flops(genome::parse_genome(text), config));
  std::vector<std::string> out;
  for (int i : cluster::dispatch_order(costs, cluster::DispatchPolicy::longest_first)) out.push_back(genomes[i]);
  return out;
}

GenerationPlan plan_generation(const io::Config& config, int generation, const std::vector<std::string>& untrained) {
  GenerationPlan plan;
  const std::set<std::string> wanted(untrained.begin(), untrained.end());
  const auto journal = io::read_journal(config.run.directory, generation);
  plan.ignored_records = journal.skipped_lines;
  for (const auto& record : journal.records) {
    if (wanted.count(record.genome)) plan.replayed.emplace(record.genome, record.result);
    else ++plan.ignored_records;
  }
  std::vector<std::string> rest;
  for (const auto& text : untrained)
    if (!plan.replayed.count(text)) rest.push_back(text);
  plan.to_train = longest_first(rest, config);
  return plan;
}

}  // namespace star::app
