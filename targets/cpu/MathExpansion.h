//===- MathExpansion.h - tan and the hyperbolic functions -------*- C++ -*-===//
//
// Upstream's polynomial approximations cover exp, expm1, log, log1p, sqrt,
// sin, cos, atan, asin and acos; its expansions of tan (sin / cos) and of the
// hyperbolic functions (e.g. sinh(x) = (e^x - e^-x) / 2) lose the relative
// accuracy at small arguments and overflow early. These patterns rewrite f32
// tan as Cephes' tanf (Cody-Waite reduction, a minimax polynomial) and
// sinh, cosh, asinh, acosh and atanh into the forms libm uses (expm1 and
// log1p near 0, log(x) + ln 2 for large arguments), so that the kernels
// stay libm-free and vectorizable and match libm to a few ulp.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_MATHEXPANSION_H
#define MLLMC_TARGETS_CPU_MATHEXPANSION_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc::cpu {

/// Adds the rewrites of f32 (scalar or vector) math.tan, math.sinh,
/// math.cosh, math.asinh, math.acosh and math.atanh described above.
void populateMathExpansionPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_MATHEXPANSION_H
