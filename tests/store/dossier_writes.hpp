#pragma once
// Builders of DossierWrite values for the store tests: the contract's own (one definition).
#include "tests/store/contract/port_contract.hpp"

namespace motcua::store::testing {

using contract::appending;

}  // namespace motcua::store::testing
