#include "app/serve_signing.hpp"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "app/commands.hpp"
#include "documents/agency_keys.hpp"
#include "documents/document_issuer.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;

// Single-quoted for /bin/sh.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// Makes the demo PKI in `dir` unless it is there. It is made in a fresh sibling directory and
// renamed into place when complete, so an interrupted run leaves no half key directory and two
// servers starting at once both end up with the one that was renamed first. Nothing that exists is
// ever deleted: a non-empty `dir` that is not a demo PKI is refused.
engine::Status ensure_demo_pki(const fs::path& dir) {
  std::error_code ec;
  const auto complete = [&dir] {
    std::error_code e;
    return fs::exists(dir / "keys", e) && fs::exists(dir / "keys.pass", e);
  };
  if (complete()) return {};
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    return engine::fail(engine::ErrorCode::kInvalidInput,
                        dir.string() +
                            " is not a demo PKI (no keys/ and keys.pass) and not empty: "
                            "give --demo-pki a new or empty directory");
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  std::string temp = dir.string() + ".partial-XXXXXX";
  if (::mkdtemp(temp.data()) == nullptr)
    return engine::fail(engine::ErrorCode::kIo, "cannot create a directory beside " + dir.string());
  std::printf("motcua serve: making the demo PKI in %s (samples/pki/make-demo-keys)\n",
              dir.c_str());
  std::fflush(stdout);
  const std::string command = shell_quote(data_root() + "/samples/pki/make-demo-keys") + " " +
                              shell_quote(temp) + " " +
                              shell_quote(data_root() + "/samples/demo/agencies.tsv") + " >&2";
  if (std::system(command.c_str()) != 0) {
    fs::remove_all(temp, ec);
    return engine::fail(engine::ErrorCode::kIo, "cannot make the demo PKI in " + dir.string());
  }
  fs::remove(dir, ec);  // an empty directory only
  fs::rename(temp, dir, ec);
  if (ec) {
    fs::remove_all(temp, ec);
    if (complete()) return {};  // another server made it first
    return engine::fail(engine::ErrorCode::kIo, "cannot move the demo PKI to " + dir.string());
  }
  return {};
}

void report_keys(const documents::AgencyKeys& keys,
                 const std::vector<engine::AgencyRecord>& agencies) {
  std::set<std::string> with_key;
  for (const documents::AgencyKeyInfo& k : keys.keys()) {
    with_key.insert(k.agency_id);
    std::printf("motcua serve: signing key %-14s %-8s %-9s %s\n", k.agency_id.c_str(),
                k.role.c_str(), k.algorithm.c_str(), k.subject.c_str());
  }
  for (const engine::AgencyRecord& a : agencies) {
    if (!with_key.contains(a.id))
      std::printf(
          "motcua serve: warning: agency %s (%s) has no signing key: its receipts and "
          "results cannot be issued\n",
          a.id.c_str(), a.name.vi.c_str());
  }
}

}  // namespace

engine::Result<ServeSigning> setup_signing(const ServeConfig& serve,
                                           engine::IdentityRepository& identity) {
  ServeSigning out;
  out.trust = serve.trust;
  out.crls = serve.crls;
  documents::AgencyKeysConfig config;
  if (!serve.keys_dir.empty()) {
    config.directory = serve.keys_dir;
    config.password_file = serve.keys_password_file;
  } else if (serve.demo) {
    const fs::path pki = serve.demo_pki;
    if (auto made = ensure_demo_pki(pki); !made) return tl::unexpected(made.error());
    config.directory = (pki / "keys").string();
    config.password_file = (pki / "keys.pass").string();
    if (out.trust.empty()) out.trust.push_back((pki / "trust").string());
  } else {
    std::printf(
        "motcua serve: no --keys: receipts and results are not issued as signed documents\n");
    return out;
  }
  auto keys = documents::AgencyKeys::load(config);
  if (!keys) return tl::unexpected(keys.error());
  auto agencies = identity.agencies();
  if (!agencies) return tl::unexpected(agencies.error());
  report_keys(**keys, *agencies);
  auto issuer =
      documents::XmlDocumentIssuer::create({*keys, data_root() + "/schemas", *agencies, 7 * 60});
  if (!issuer) return tl::unexpected(issuer.error());
  out.issuer = *issuer;
  return out;
}

}  // namespace motcua::app
