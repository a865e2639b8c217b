#pragma once
// Library: the process-wide initialisation of libxml2, xmlsec and its OpenSSL back end, in the
// order xmlsec requires (libxml2, xmlSecInit, xmlSecCryptoAppInit, xmlSecCryptoInit), undone in
// reverse order by the destructor. `main` owns exactly one for the whole run (tests own one per
// process) and creates it before any other thread uses signing/; every other signing type requires
// it to be alive. Not copyable or movable. Also routes xmlsec's error messages into the Error of
// the failing call instead of stderr.
#include <string>

#include "signing/error.hpp"

namespace motcua::signing {

class Library {
 public:
  // Initialises everything; throws nothing. Check ok() (or status()) before using signing/.
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  bool ok() const { return status_.has_value(); }
  // True while some Library is alive in the process (a command can then skip making its own).
  static bool active();
  const Status& status() const { return status_; }

 private:
  Status status_;
  int stage_ = 0;  // how many of the four steps succeeded, for the reverse clean-up
};

}  // namespace motcua::signing
