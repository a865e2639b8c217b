#pragma once
// Where the time of one signature and one verification goes, phase by phase, for issue 3's
// targets: each phase is measured alone (best of `rounds`, in microseconds per operation) and the
// rest is the whole operation minus the phases.
#include <string>

#include "signing/signer.hpp"
#include "signing/verifier.hpp"

namespace motcua::signing::bench {

void print_phases(const std::string& doc, const Signer& signer, const std::string& signed_doc,
                  const Verifier& verifier, double seconds, int rounds);

}  // namespace motcua::signing::bench
