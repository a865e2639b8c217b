#include "signing/library.hpp"

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <atomic>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing {
namespace {
std::atomic<bool> alive{false};
}

Library::Library() {
  if (alive.exchange(true)) {
    status_ = fail(ErrorCode::kInternal, "the signing library is already initialised");
    return;
  }
  xmlInitParser();
  stage_ = 1;
  // Never substitute entities or load external DTDs by default; the hardened parser sets its own
  // options as well, this covers any other caller in the process.
  xmlSubstituteEntitiesDefault(0);
  xmlLoadExtDtdDefaultValue = 0;
  if (xmlSecInit() < 0) {
    status_ =
        fail(ErrorCode::kLibrary, "xmlsec initialisation failed", internal::take_library_errors());
    return;
  }
  stage_ = 2;
  if (xmlSecCheckVersion() != 1) {
    status_ =
        fail(ErrorCode::kLibrary, "the loaded xmlsec library is not the version built against");
    return;
  }
  if (xmlSecCryptoAppInit(nullptr) < 0) {
    status_ = fail(ErrorCode::kLibrary, "xmlsec crypto application initialisation failed",
                   internal::take_library_errors());
    return;
  }
  stage_ = 3;
  if (xmlSecCryptoInit() < 0) {
    status_ = fail(ErrorCode::kLibrary, "xmlsec-openssl initialisation failed",
                   internal::take_library_errors());
    return;
  }
  stage_ = 4;
  // Last: the crypto initialisation installs its own error reporting.
  xmlSecErrorsSetCallback(internal::xmlsec_error_callback);
}

bool Library::active() { return alive.load(); }

Library::~Library() {
  // The shutdown calls report failure, but a destructor has no caller left to tell, and each stage
  // is undone whatever the previous one returned.
  if (stage_ >= 4) xmlSecCryptoShutdown();
  if (stage_ >= 3) xmlSecCryptoAppShutdown();
  if (stage_ >= 2) xmlSecShutdown();
  if (stage_ >= 1) {
    xmlCleanupParser();
    alive = false;
  }
}

}  // namespace motcua::signing
