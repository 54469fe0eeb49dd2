// The `star` command line: every subcommand, its options and checks, and the command it runs.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "app/bench_evolve_command.hpp"
#include "app/bench_generation_command.hpp"
#include "app/bench_kernels_command.hpp"
#include "app/bench_train_command.hpp"
#include "app/check_command.hpp"
#include "app/data_command.hpp"
#include "app/evolve_command.hpp"
#include "app/genome_command.hpp"
#include "app/moo_command.hpp"
#include "app/replay_command.hpp"
#include "app/retrain_command.hpp"
#include "app/train_command.hpp"
#include "app/simulate_command.hpp"
#include "genome/excerpt.hpp"

namespace {

// A number in [lo, hi]. CLI::Range lets NaN through (every comparison with it is false).
CLI::Validator number_in(double lo, double hi) {
  const std::string range = "[" + CLI::detail::to_string(lo) + " - " + CLI::detail::to_string(hi) + "]";
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "\"" + star::excerpt(text) + "\" is not a number";
        if (!(v >= lo && v <= hi)) return "value " + star::excerpt(text) + " not in range " + range;
        return "";
      },
      "NUMBER in " + range);
}

}  // namespace

namespace star::app {

int run_cli(int argc, char** argv) {
  CLI::App app{"star: Synthesis of Tailored Architectures (STAR) on MPI and GPUs"};
  app.require_subcommand(1);

  star::app::EvolveOptions evolve;
  auto* evolve_cmd = app.add_subcommand("evolve", "Evolve a population of genomes (run under mpirun or srun)");
  evolve_cmd->add_option("config", evolve.config_path, "Run configuration (TOML), e.g. inputs/quickstart.toml")
      ->required();
  std::string resume;
  auto* resume_opt = evolve_cmd
                         ->add_option("--resume", resume,
                                      "Continue the run from its last complete generation and its journal; "
                                      "`--resume auto` starts a new run when there is nothing to continue")
                         ->expected(0, 1)
                         ->check(CLI::IsMember({"auto"}));
  evolve_cmd->add_option("--run-dir", evolve.run_dir, "Run directory (overrides [run] directory)");

  star::app::ReplayOptions replay;
  auto* replay_cmd = app.add_subcommand(
      "replay", "Rebuild a steady-state run from its event log alone and check it against its checkpoint");
  replay_cmd->add_option("run_dir", replay.run_dir, "The run directory (holds config.toml and journal/events.log)")
      ->required();
  replay_cmd->add_option("--out", replay.out, "Also write the replayed history as a results file");

  star::app::CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "Check a run configuration (no MPI, no GPU) and summarise it");
  check_cmd->add_option("config", check.config_path, "Run configuration (TOML)");
  check_cmd->add_flag("--explain", check.explain,
                      "Print every section and key: type, default, bounds, resume rule, description");
  check_cmd->add_option("--run-dir", check.run_dir, "Run directory (overrides [run] directory)");
  check_cmd->add_flag("--print-run-dir", check.print_run_dir, "Print only the run directory (for job scripts)");

  star::app::GenomeOptions genome;
  auto* genome_cmd = app.add_subcommand("genome", "Describe, sample and mutate genomes");
  genome_cmd->require_subcommand(1);
  auto* describe = genome_cmd->add_subcommand("describe", "Per-LIV classes, sharing, parameters and cache of a genome");
  describe->add_option("genome", genome.genome, "Genome text, e.g. 21211-31112-21221-32112")->required();
  describe->add_option("--config", genome.config_path, "Take sizes from this run configuration");
  describe->add_option("--seq-len", genome.seq_len, "Sequence length for the cache size (1 to 2^31)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 31));
  auto* sample = genome_cmd->add_subcommand("sample", "Print random valid genomes");
  sample->add_option("--config", genome.config_path, "Take the search space from this run configuration");
  sample->add_option("-n,--count", genome.count, "How many")->check(CLI::PositiveNumber);
  sample->add_option("--seed", genome.seed, "Random seed");
  auto* mutate = genome_cmd->add_subcommand("mutate", "Mutate and repair a genome");
  mutate->add_option("genome", genome.genome, "Genome text")->required();
  mutate->add_option("--config", genome.config_path, "Take the search space from this run configuration");
  mutate->add_option("--rate", genome.rate, "Per-position mutation probability")->check(number_in(0.0, 1.0));
  mutate->add_option("--seed", genome.seed, "Random seed");

  star::app::TrainOptions train;
  auto* train_cmd = app.add_subcommand("train", "Train one genome (at any width), saving weights as it goes");
  train_cmd->add_option("config", train.config_path, "Run configuration (TOML): task, training, model sizes")->required();
  train_cmd->add_option("--genome", train.genome, "Genome text")->required();
  train_cmd->add_option("--task", train.task, "The task of a [task] suite to train on (its kind)");
  train_cmd->add_option("--out", train.out_dir, "Checkpoint directory (default <run dir>/train/<genome>; suite: <run dir>/train/<task>/<genome>)");
  train_cmd->add_option("--width", train.width, "Model width (default [model] width)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--heads", train.heads, "Attention heads (default [model] heads)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--tokens", train.tokens, "Token budget (default [train] token_budget)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--save-every", train.save_every, "Steps between checkpoints")->check(CLI::PositiveNumber);
  train_cmd->add_flag("--resume", train.resume, "Continue the training saved in the checkpoint directory");

  star::app::EvalOptions eval;
  auto* eval_cmd = app.add_subcommand("eval", "Score a model saved by star train on the configuration's task");
  eval_cmd->add_option("config", eval.config_path, "Run configuration (TOML): the task to score on")->required();
  eval_cmd->add_option("--checkpoint", eval.checkpoint, "Checkpoint directory written by star train")->required();
  eval_cmd->add_option("--task", eval.task, "The task of a [task] suite to score on (its kind)");

  star::app::RetrainOptions retrain;
  auto* retrain_cmd = app.add_subcommand(
      "retrain", "The STAR protocol after a search: retrain the final front's best genomes and the baselines longer "
                 "and score them on held-out text");
  retrain_cmd->add_option("results", retrain.results, "The search's results.h5 (or its run directory)")->required();
  retrain_cmd->add_option("--top", retrain.top, "Genomes of the final front, best held-out loss first (then of the next fronts)")
      ->check(CLI::Range(0, 10000));
  retrain_cmd->add_option("--seeds", retrain.seeds,
                          "Trainings of each genome, each from its own initial weights and batch order; the table "
                          "adds each genome's mean")
      ->check(CLI::Range(1, 16));
  retrain_cmd->add_option("--baseline", retrain.baselines,
                          "NAME=GENOME to retrain beside the front (repeatable; the first is what changes are given "
                          "against); default: the search's [evolution] initial_genomes");
  retrain_cmd->add_option("--budget-factor", retrain.budget_factor, "Token budget per genome, in units of the search's")
      ->check(number_in(0.001, 1e6));
  retrain_cmd->add_option("--heldout", retrain.heldout,
                          "Glob of held-out token shards to score on (default: the task's val_shards, what the search "
                          "selected on)");
  retrain_cmd->add_option("--heldout-windows", retrain.heldout_windows, "Held-out windows (default: [task] test_examples)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 24));
  retrain_cmd->add_option("--task", retrain.task, "The task of a [task] suite to train on (its kind)");
  retrain_cmd->add_option("--out", retrain.out_dir, "Folder for retrain.h5 and each genome's checkpoints (default <run dir>/retrain)");
  retrain_cmd->add_option("--save-every", retrain.save_every, "Steps between each genome's checkpoints")
      ->check(CLI::PositiveNumber);
  retrain_cmd->add_flag("--resume", retrain.resume, "Continue the retraining in the output folder (or start one)");

  star::app::EncodeBytesOptions encode;
  auto* data_cmd = app.add_subcommand("data", "Prepare data sets");
  data_cmd->require_subcommand(1);
  auto* encode_cmd = data_cmd->add_subcommand(
      "encode-bytes", "Text files (plain or gzip, e.g. /usr/share/dictd/gcide.dict.dz) as byte-level token shards (vocabulary 256)");
  encode_cmd->add_option("files", encode.inputs, "Text files, concatenated in order")->required()->check(CLI::ExistingFile);
  encode_cmd->add_option("-o,--output", encode.output_dir, "Directory for train_*.bin, val_*.bin (and test_*.bin)")->required();
  encode_cmd->add_option("--val-fraction", encode.val_fraction, "Share of the bytes for validation (what a search selects on)")
      ->check(number_in(0.0, 0.9));
  encode_cmd->add_option("--test-fraction", encode.test_fraction,
                         "Share of the bytes for test_*.bin, never trained on nor selected on (star retrain --heldout)")
      ->check(number_in(0.0, 0.9));
  encode_cmd->add_option("--block-bytes", encode.block_bytes,
                         "Deal blocks of this many bytes to the splits, spread over the whole input (default 0: each "
                         "held-out split is one stretch at the end)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  encode_cmd->add_option("--shard-tokens", encode.shard_tokens, "Tokens per shard")->check(CLI::Range(1024, 1 << 30));

  star::app::MooOptions moo;
  auto* moo_cmd = app.add_subcommand("moo", "NSGA-II on a test problem with a known front; prints the front as CSV");
  moo_cmd->add_option("--problem", moo.problem, "zdt1, zdt2, zdt3 or dtlz2")
      ->check(CLI::IsMember({"zdt1", "zdt2", "zdt3", "dtlz2"}));
  moo_cmd->add_option("--pop", moo.population, "Population size")->check(CLI::Range(4, 1 << 20));
  moo_cmd->add_option("--gens", moo.generations, "Generations")->check(CLI::Range(1, 1 << 20));
  moo_cmd->add_option("--seed", moo.seed, "Random seed");
  moo_cmd->add_option("--mode", moo.mode, "generational, or steady_state (asynchronous: no generation barrier)")
      ->check(CLI::IsMember({"generational", "steady_state"}));
  moo_cmd->add_option("--workers", moo.workers, "steady_state: evaluations in flight")->check(CLI::Range(1, 1 << 20));

  star::app::SimulateOptions simulate;
  auto* simulate_cmd = app.add_subcommand(
      "simulate", "Replay genome costs on G groups with the work queue's dispatch policies (no MPI, no training)");
  simulate_cmd->add_option("--groups", simulate.groups, "Numbers of groups, e.g. 1,2,8,64,1024")
      ->delimiter(',')
      ->check(CLI::Range(1, 1 << 20));
  simulate_cmd->add_option("--per-group", simulate.per_group, "Genomes per group (population = this x groups)")
      ->check(CLI::Range(1, 1 << 20));
  simulate_cmd->add_option("--costs", simulate.costs,
                           "A file of costs (one per line), lognormal:SIGMA, uniform:LO:HI or genomes:CONFIG.toml");
  simulate_cmd->add_option("--seed", simulate.seed, "Random seed");
  simulate_cmd->add_option("--trials", simulate.trials,
                           "Generations per row (generational: means; steady-state: their candidates in one run)")
      ->check(CLI::Range(1, 100000));
  simulate_cmd->add_option("--wide-above", simulate.wide_above,
                           "Steady-state: a candidate costing more than this x the median runs on several groups "
                           "(0: never)")
      ->check(CLI::Range(0.0, 1e6));

  star::app::BenchKernelsOptions bench_kernels;
  auto* bench_cmd = app.add_subcommand("bench", "Benchmarks that print figures (generation: under mpirun)");
  bench_cmd->require_subcommand(1);
  auto* bench_kernels_cmd =
      bench_cmd->add_subcommand("kernels", "Time the Kokkos LIV kernels, gated unit, rotary embedding and fused loss "
                                           "against their LibTorch references");
  bench_kernels_cmd->add_option("--batch", bench_kernels.batch, "Batch B")->check(CLI::PositiveNumber);
  bench_kernels_cmd->add_option("--channels", bench_kernels.channels, "Channels C")->check(CLI::PositiveNumber);
  bench_kernels_cmd->add_option("--lengths", bench_kernels.lengths, "Sequence lengths T, e.g. 1024,4096,16384")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  bench_kernels_cmd->add_option("--taps", bench_kernels.taps, "Taps K of the short convolution")->check(CLI::Range(1, 64));
  bench_kernels_cmd->add_option("--device", bench_kernels.device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  bench_kernels_cmd->add_option("--repeats", bench_kernels.repeats, "Timed calls per figure")->check(CLI::Range(1, 100000));
  bench_kernels_cmd->add_flag("--profile", bench_kernels.profile,
                              "After each Kokkos row, the GPU kernels of as many forward and backward calls, in ms per "
                              "call, and the kernels' own time and GB/s forward and backward (CUDA only)");
  bench_kernels_cmd->add_option("--dtype", bench_kernels.dtype, "Activations and logits: fp32 or bf16")
      ->check(CLI::IsMember({"fp32", "bf16"}));
  bench_kernels_cmd->add_option("--rows", bench_kernels.rows, "Rows N of the cross-entropy's [N, V] logits")
      ->check(CLI::PositiveNumber);
  bench_kernels_cmd->add_option("--vocab", bench_kernels.vocab, "Classes V of the cross-entropy's [N, V] logits")
      ->check(CLI::PositiveNumber);
  bench_kernels_cmd->add_option("--only", bench_kernels.only, "Kernels to time, e.g. linear_scan,causal_conv1d")
      ->delimiter(',')
      ->check(CLI::IsMember({"causal_conv1d", "linear_scan", "gated_unit", "rotary", "add_rms_norm", "cross_entropy"}));
  bench_kernels_cmd
      ->add_option("--conv-plans", bench_kernels.conv_plans,
                   "Convolution plans to compare, forward_tile:backward_tile:unroll:channels_per_thread each, e.g. "
                   "32:64:8:0,32:64:1:0")
      ->delimiter(',');
  bench_kernels_cmd
      ->add_option("--scan-plans", bench_kernels.scan_plans,
                   "Scan plans to compare, steps:channels_per_thread:pieces:prefetch:lanes:look_back each (look_back 0: "
                   "a team walks the whole sequence), e.g. 16:0:4:1:32:4,16:0:16:1:8:0")
      ->delimiter(',');

  star::app::BenchEvolveOptions bench_evolve;
  auto* bench_evolve_cmd = bench_cmd->add_subcommand(
      "evolve", "Time one generation's selection and variation (NSGA-II, GA, firefly) for large populations");
  bench_evolve_cmd->add_option("--sizes", bench_evolve.sizes, "Population sizes, e.g. 16,256,4096,65536")
      ->delimiter(',')
      ->check(CLI::Range(2, 1 << 24));
  bench_evolve_cmd->add_option("--quadratic-max", bench_evolve.quadratic_max, "Time Deb's quadratic sort up to this size")
      ->check(CLI::NonNegativeNumber);
  bench_evolve_cmd->add_option("--firefly-max", bench_evolve.firefly_max, "Time the O(N^2) firefly move up to this size")
      ->check(CLI::NonNegativeNumber);

  star::app::BenchGenerationOptions bench_generation;
  auto* bench_generation_cmd = bench_cmd->add_subcommand(
      "generation", "Train one generation of a configuration's search on this node's ranks (mpirun -np K): wall "
                    "time, GPU busy fraction, tokens/s over all candidates, overhead per candidate");
  bench_generation_cmd->add_option("config", bench_generation.config_path, "Run configuration (TOML), e.g. inputs/star_lm.toml")
      ->required();
  bench_generation_cmd->add_option("--genomes", bench_generation.genomes,
                                   "Candidates (default: [evolution] population)")
      ->check(CLI::Range(1, 1 << 20));
  bench_generation_cmd->add_option("--tokens", bench_generation.tokens,
                                   "Tokens per training (default: [train] token_budget)")
      ->check(CLI::PositiveNumber);
  bench_generation_cmd->add_option("--profile", bench_generation.profile,
                                   "auto (the GPU busy fraction, on a CUDA build) or off")
      ->check(CLI::IsMember({"auto", "off"}));

  star::app::BenchTrainOptions bench_train;
  auto* bench_train_cmd = bench_cmd->add_subcommand(
      "train", "Time the trainer's steps on one genome: tokens/s, model TFLOP/s, MFU, peak memory");
  bench_train_cmd->add_option("--genome", bench_train.genome, "Genome text (a motif, repeated to --depth)")->required();
  bench_train_cmd->add_option("--depth", bench_train.depth, "LIVs (default: the genome's)")->check(CLI::NonNegativeNumber);
  bench_train_cmd->add_option("--width", bench_train.width, "Model width")->check(CLI::PositiveNumber);
  bench_train_cmd->add_option("--heads", bench_train.heads, "Attention heads")->check(CLI::PositiveNumber);
  bench_train_cmd->add_option("--mlp-ratio", bench_train.mlp_ratio, "SwiGLU hidden width over width (8/3: Transformer++)")
      ->check(number_in(0.01, 64.0));
  bench_train_cmd->add_option("--precision", bench_train.precision, "auto (bf16 on a GPU), bf16 or fp32")
      ->check(CLI::IsMember({"auto", "bf16", "fp32"}));
  bench_train_cmd->add_option("--kernels", bench_train.kernels, "kokkos or torch (the LibTorch reference path)")
      ->check(CLI::IsMember({"kokkos", "torch"}));
  bench_train_cmd->add_option("--vocab", bench_train.vocab, "Vocabulary size")->check(CLI::Range(2, 1 << 24));
  bench_train_cmd->add_option("--batch", bench_train.batch, "Sequences per step")->check(CLI::PositiveNumber);
  bench_train_cmd->add_option("--micro-batch", bench_train.micro_batch, "Sequences per forward pass (0: the batch)")
      ->check(CLI::NonNegativeNumber);
  bench_train_cmd->add_option("--seq", bench_train.seq, "Tokens per sequence")->check(CLI::PositiveNumber);
  bench_train_cmd->add_option("--steps", bench_train.steps, "Timed steps")->check(CLI::PositiveNumber);
  bench_train_cmd->add_option("--warmup", bench_train.warmup, "Untimed steps first")->check(CLI::NonNegativeNumber);
  bench_train_cmd->add_option("--profile", bench_train.profile_steps,
                              "After the timed steps, record this many more and print their top CUDA kernels")
      ->check(CLI::NonNegativeNumber);
  bench_train_cmd->add_option("--cuda-graphs", bench_train.cuda_graphs,
                              "both (on a GPU: eager, then the step replayed as a CUDA graph), auto or off "
                              "([train] cuda_graphs)")
      ->check(CLI::IsMember({"both", "auto", "off"}));
  bench_train_cmd->add_option("--device", bench_train.device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  bench_train_cmd->add_option("--peak-tflops", bench_train.peak_tflops, "Dense bf16 peak for MFU (default 989.4 on CUDA)")
      ->check(CLI::NonNegativeNumber);
  bench_train_cmd->add_option("--threads", bench_train.threads, "Torch CPU threads (0: the machine's cores)")
      ->check(CLI::NonNegativeNumber);

  // Every argument error is one line and exit status 2, like any other bad input (CLI11's own
  // statuses are 100 and up); --help still prints the usage and exits 0.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::fprintf(stderr, "star: %s (star --help lists the commands and options)\n", star::excerpt(e.what(), 300).c_str());
    return 2;
  }
  // Under srun, mpirun or a pipe stdout is not a terminal: without this, progress would reach the
  // job log in blocks, long after it happened.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  if (*evolve_cmd) {
    if (*resume_opt)
      evolve.resume = resume == "auto" ? star::app::ResumeMode::automatic : star::app::ResumeMode::strict;
    return star::app::run_evolve(evolve, &argc, &argv);
  }
  if (*replay_cmd) return star::app::run_replay(replay);
  if (*check_cmd) return star::app::run_check(check);
  if (*train_cmd) return star::app::run_train(train, &argc, &argv);
  if (*eval_cmd) return star::app::run_eval(eval);
  if (*retrain_cmd) return star::app::run_retrain(retrain, &argc, &argv);
  if (*encode_cmd) return star::app::run_encode_bytes(encode);
  if (*describe) return star::app::run_genome_describe(genome);
  if (*sample) return star::app::run_genome_sample(genome);
  if (*mutate) return star::app::run_genome_mutate(genome);
  if (*moo_cmd) return star::app::run_moo(moo);
  if (*simulate_cmd) return star::app::run_simulate(simulate);
  if (*bench_generation_cmd) return star::app::run_bench_generation(bench_generation, &argc, &argv);
  if (*bench_evolve_cmd) return star::app::run_bench_evolve(bench_evolve);
  if (*bench_kernels_cmd) return star::app::run_bench_kernels(bench_kernels);
  if (*bench_train_cmd) return star::app::run_bench_train(bench_train);
  return 1;
}

}  // namespace star::app
