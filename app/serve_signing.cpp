#include "app/serve_signing.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "app/commands.hpp"
#include "exchange/agency_keys.hpp"
#include "exchange/document_issuer.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;

// Single-quoted for /bin/sh.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// Makes the demo PKI in `dir` unless it is there: in a sibling directory first, renamed into place
// when complete, so an interrupted run never leaves half a key directory behind.
engine::Status ensure_demo_pki(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "keys", ec) && fs::exists(dir / "keys.pass", ec)) return {};
  std::printf("motcua serve: making the demo PKI in %s (samples/pki/make-demo-keys)\n",
              dir.c_str());
  std::fflush(stdout);
  const fs::path partial = dir.string() + ".partial";
  fs::remove_all(partial, ec);
  const std::string command = shell_quote(data_root() + "/samples/pki/make-demo-keys") + " " +
                              shell_quote(partial.string()) + " " +
                              shell_quote(data_root() + "/samples/demo/agencies.tsv") + " >&2";
  if (std::system(command.c_str()) != 0)
    return engine::fail(engine::ErrorCode::kIo, "cannot make the demo PKI in " + dir.string());
  fs::remove_all(dir, ec);
  fs::rename(partial, dir, ec);
  if (ec)
    return engine::fail(engine::ErrorCode::kIo, "cannot move the demo PKI to " + dir.string(),
                        ec.message());
  return {};
}

void report_keys(const exchange::AgencyKeys& keys,
                 const std::vector<engine::AgencyRecord>& agencies) {
  std::set<std::string> with_key;
  for (const exchange::AgencyKeyInfo& k : keys.keys()) {
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

engine::Result<ServeSigning> setup_signing(const Args& args, bool demo,
                                           engine::IdentityRepository& identity) {
  ServeSigning out;
  out.trust = args.all("trust");
  out.crls = args.all("crl");
  exchange::AgencyKeysConfig config;
  if (auto dir = args.get("keys")) {
    config.directory = *dir;
    config.password_file = args.get("keys-password-file").value_or("");
  } else if (demo) {
    const fs::path pki = args.get("demo-pki").value_or(std::string(kDefaultDemoPki));
    if (auto made = ensure_demo_pki(pki); !made) return tl::unexpected(made.error());
    config.directory = (pki / "keys").string();
    config.password_file = (pki / "keys.pass").string();
    if (out.trust.empty()) out.trust.push_back((pki / "trust").string());
  } else {
    std::printf(
        "motcua serve: no --keys: receipts and results are not issued as signed documents\n");
    return out;
  }
  auto keys = exchange::AgencyKeys::load(config);
  if (!keys) return tl::unexpected(keys.error());
  auto agencies = identity.agencies();
  if (!agencies) return tl::unexpected(agencies.error());
  report_keys(**keys, *agencies);
  auto issuer =
      exchange::XmlDocumentIssuer::create({*keys, data_root() + "/schemas", *agencies, 7 * 60});
  if (!issuer) return tl::unexpected(issuer.error());
  out.issuer = *issuer;
  return out;
}

}  // namespace motcua::app
