#pragma once
// Operators no named class computes, as genome text, that the model tests build.
#include <string>
#include <vector>

namespace star::model::testing {

// Two LIVs, the first of the class that the entry redefines, the second SwiGLU.
inline const std::vector<std::string> kOperatorVariants = {
    "31111-11111;3=11223:1111.1111.1111",  // sliding-window attention
    "31111-11111;3=11323:1111.1111.1111",  // block-diagonal attention
    "31111-11111;3=11122:1111.1111.1111",  // one head of width d
    "31111-11111;3=11123:1111.1112.1112",  // keys and values repeated twice (grouped-query)
    "31111-11111;3=12333:1111.1111.1111",  // block-diagonal linear attention
    "31111-11111;3=12332:1111.1111.1111",  // one-head linear attention
    "31111-11111;3=13361:1111.1111.1111.1111",  // class 3 as a block-diagonal recurrence
    "21111-11111;2=34211:1111.1111.1111",  // class 2 as a banded implicit long convolution
    "21111-11111;2=43111:1111.1111.1111.1111.1111",  // class 2 as liquid S4
    "21111-11111;1=15112:1111.1111",       // bilinear gated MLP (no nonlinearity)
    "21111-11111;1=15162:1121.1121",       // sigmoid GLU, hidden width doubled
    "21111-11111;1=15152:1131.1131",       // GeGLU, hidden width halved
    "d1111-11111;d=11223:1111.1111.1111",  // differential sliding-window attention
    "31111-11111;3=11123:2111.2111.2111",  // queries, keys and values convolved after projection
    "41111-11111;4=12133:1111.2111.1111",  // linear attention with convolved keys
    "31111-11111;3=11123:1211.1211.1211",  // queries, keys and values as diagonal scales of the input
    "41111-11111;4=12133:1211.1111.2211",  // linear attention: scaled queries, convolved scaled values
};

}  // namespace star::model::testing
