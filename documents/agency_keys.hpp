#pragma once
// AgencyKeys: the signing keys of the agencies this deployment issues documents for, one per
// (QCVN 102 agency id, signing role), loaded once at start and reused by every signature.
//
// Layout of the key directory (samples/pki/make-demo-keys writes it for the demo organisation):
//   <directory>/<agency id>/<role>.p12    PKCS#12 bundle: private key, its signing certificate
//                                         (whose subject has OU=<agency id>) and the CA chain
//   <directory>/<agency id>/<role>.pass   optional: the bundle's password (first line)
// A bundle without its own .pass file is opened with the password read from
// AgencyKeysConfig::password_file. Agency ids look like 000.01.21.H57; roles like "desk",
// "leader" ([a-z][a-z0-9-]*, at most 64 bytes). Other files (README, *.pass) are ignored; a
// subdirectory that is not an agency id, a *.p12 whose name is not a role, a bundle that does not
// open, or a certificate whose subject does not name its agency id in OU makes load() fail, so a
// misfiled key never signs for another agency. Passwords are wiped from memory after use and never
// appear in errors or logs.
//
// Immutable after load: find() may be called from several threads at once; the Signers it returns
// live as long as the AgencyKeys. Requires a live signing::Library.
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "signing/signer.hpp"

namespace motcua::documents {

struct AgencyKeysConfig {
  std::string directory;      // the key directory (layout above)
  std::string password_file;  // password of bundles without their own .pass; may be empty
};

// At most this many bundles are loaded from one directory.
inline constexpr std::size_t kMaxAgencyKeys = 1000;

struct AgencyKeyInfo {
  std::string agency_id;
  std::string role;
  std::string path;       // the bundle it came from
  std::string subject;    // certificate subject, RFC 2253
  std::string algorithm;  // "RSA-2048", "EC-P-256", ...
};

class AgencyKeys {
 public:
  // Loads every bundle of config.directory. Errors: kIo (directory or password file unreadable),
  // kInvalidInput (layout violations, a bundle that does not open or whose certificate names
  // another agency; the message names the file, the detail carries the signing library's reason).
  static engine::Result<std::shared_ptr<const AgencyKeys>> load(const AgencyKeysConfig& config);

  // The signer for (agency id, role); nullptr when none is configured.
  const signing::Signer* find(std::string_view agency_id, std::string_view role) const;

  // What was loaded, ordered by (agency id, role): for the start-up log.
  std::vector<AgencyKeyInfo> keys() const;
  std::size_t size() const { return signers_.size(); }

 private:
  struct Entry {
    AgencyKeyInfo info;
    signing::Signer signer;
  };
  AgencyKeys() = default;
  std::map<std::pair<std::string, std::string>, Entry> signers_;
};

// True for a QCVN 102:2016 agency id such as 000.01.21.H57.
bool is_agency_id(std::string_view text) noexcept;

}  // namespace motcua::documents
