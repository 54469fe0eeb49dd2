#pragma once
// A fixture for the layering check (tests/CMakeLists.txt: layering_check_catches): a core header
// that reaches up into train and torch. Never compiled.
#include <torch/torch.h>

#include "train/trainer.hpp"
