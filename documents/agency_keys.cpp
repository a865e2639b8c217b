#include "documents/agency_keys.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "signing/password.hpp"
#include "signing/signing_key.hpp"

namespace motcua::documents {
namespace {

namespace fs = std::filesystem;
using engine::ErrorCode;
using engine::fail;

bool is_role(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() < 'a' || text.front() > 'z') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// RFC 2253 subject -> its attribute=value components, split at separators that are not escaped.
std::vector<std::string> rdn_components(std::string_view subject) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < subject.size(); ++i) {
    const char c = subject[i];
    if (c == '\\' && i + 1 < subject.size()) {
      parts.back() += c;
      parts.back() += subject[++i];
    } else if (c == ',' || c == '+') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// A secret read from a file; wiped when it goes out of scope.
struct Secret {
  std::string value;
  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { signing::wipe(value); }
};

engine::Status read_secret(const std::string& path, Secret& secret) {
  auto read = signing::read_password_file(path);
  if (!read) {
    return fail(
        read.error().code == signing::ErrorCode::kIo ? ErrorCode::kIo : ErrorCode::kInvalidInput,
        "cannot read the key password file " + path, read.error().message);
  }
  secret.value = std::move(*read);
  signing::wipe(*read);
  return {};
}

}  // namespace

bool is_agency_id(std::string_view text) noexcept {
  // ddd.dd.dd.Xdd
  static constexpr std::string_view kShape = "999.99.99.A99";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (kShape[i]) {
      case '9':
        if (c < '0' || c > '9') return false;
        break;
      case 'A':
        if (c < 'A' || c > 'Z') return false;
        break;
      default:
        if (c != kShape[i]) return false;
    }
  }
  return true;
}

engine::Result<std::shared_ptr<const AgencyKeys>> AgencyKeys::load(const AgencyKeysConfig& config) {
  if (config.directory.empty()) return fail(ErrorCode::kInvalidInput, "no key directory given");
  std::error_code ec;
  if (!fs::is_directory(config.directory, ec))
    return fail(ErrorCode::kIo, "the key directory " + config.directory + " is not a directory",
                ec.message());

  // Collect first, sorted, so that errors and the load order do not depend on readdir order.
  std::vector<fs::path> agencies;
  for (fs::directory_iterator it(config.directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) {
      agencies.push_back(it->path());
    } else if (it->path().extension() == ".p12") {
      return fail(ErrorCode::kInvalidInput,
                  "key bundle " + it->path().string() + " is not inside an agency directory");
    }
  }
  if (ec)
    return fail(ErrorCode::kIo, "cannot list the key directory " + config.directory, ec.message());
  std::sort(agencies.begin(), agencies.end());

  std::shared_ptr<AgencyKeys> keys(new AgencyKeys());
  Secret default_password;
  bool default_read = false;
  for (const fs::path& agency_dir : agencies) {
    const std::string agency_id = agency_dir.filename().string();
    if (!is_agency_id(agency_id))
      return fail(ErrorCode::kInvalidInput,
                  "key directory entry " + agency_dir.string() +
                      " is not a QCVN 102 agency id such as 000.01.21.H57");
    std::vector<fs::path> bundles;
    for (fs::directory_iterator it(agency_dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".p12") bundles.push_back(it->path());
    }
    if (ec) return fail(ErrorCode::kIo, "cannot list " + agency_dir.string(), ec.message());
    std::sort(bundles.begin(), bundles.end());

    for (const fs::path& bundle : bundles) {
      const std::string role = bundle.stem().string();
      if (!is_role(role))
        return fail(ErrorCode::kInvalidInput,
                    "key bundle " + bundle.string() + " is not named after a role (<role>.p12)");
      if (keys->signers_.size() >= kMaxAgencyKeys)
        return fail(ErrorCode::kInvalidInput, "more than " + std::to_string(kMaxAgencyKeys) +
                                                  " key bundles in " + config.directory);
      fs::path own_password = bundle;
      own_password.replace_extension(".pass");
      Secret own;
      const Secret* password = &own;
      if (fs::exists(own_password, ec)) {
        if (auto read = read_secret(own_password.string(), own); !read)
          return tl::unexpected(read.error());
      } else {
        if (config.password_file.empty())
          return fail(ErrorCode::kInvalidInput, "key bundle " + bundle.string() +
                                                    " has no .pass file and no default password "
                                                    "file is configured");
        if (!default_read) {
          if (auto read = read_secret(config.password_file, default_password); !read)
            return tl::unexpected(read.error());
          default_read = true;
        }
        password = &default_password;
      }

      auto key = signing::SigningKey::from_pkcs12(bundle.string(), password->value);
      if (!key)
        return fail(
            key.error().code == signing::ErrorCode::kIo ? ErrorCode::kIo : ErrorCode::kInvalidInput,
            "cannot load the signing key " + bundle.string(),
            key.error().message + (key.error().detail.empty() ? "" : ": ") + key.error().detail);
      const std::string subject = key->subject();
      const auto parts = rdn_components(subject);
      if (std::find(parts.begin(), parts.end(), "OU=" + agency_id) == parts.end())
        return fail(ErrorCode::kInvalidInput, "the certificate of " + bundle.string() +
                                                  " does not name agency " + agency_id +
                                                  " in its OU (subject " + subject + ")");
      AgencyKeyInfo info{agency_id, role, bundle.string(), subject, key->algorithm()};
      keys->signers_.emplace(std::make_pair(agency_id, role),
                             Entry{std::move(info), signing::Signer(std::move(*key))});
    }
  }
  return std::shared_ptr<const AgencyKeys>(std::move(keys));
}

const signing::Signer* AgencyKeys::find(std::string_view agency_id, std::string_view role) const {
  const auto it = signers_.find(std::make_pair(std::string(agency_id), std::string(role)));
  return it == signers_.end() ? nullptr : &it->second.signer;
}

std::vector<AgencyKeyInfo> AgencyKeys::keys() const {
  std::vector<AgencyKeyInfo> out;
  out.reserve(signers_.size());
  for (const auto& [key, entry] : signers_) out.push_back(entry.info);
  return out;
}

}  // namespace motcua::documents
