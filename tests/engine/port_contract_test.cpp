// The storage ports' contract (tests/store/contract/port_contract.hpp) on the in-memory store the
// service unit tests use, so those tests rest on the same promises as the SQL adapters.
#include "tests/store/contract/port_contract.hpp"

#include "tests/engine/memory_store.hpp"

namespace motcua::engine::testing {
namespace {

void each_memory_store(const std::function<void(contract::PortsUnderTest&)>& body) {
  MemoryStore store;
  contract::PortsUnderTest p{&store, &store, &store, &store, {}};
  body(p);
}

}  // namespace

MOTCUA_PORT_CONTRACT(each_memory_store, "Memory store:")

}  // namespace motcua::engine::testing
