#include "signing/password.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace motcua::signing {

Result<std::string> read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read the password file " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto nl = text.find_first_of("\r\n"); nl != std::string::npos) {
    OPENSSL_cleanse(text.data() + nl, text.size() - nl);
    text.resize(nl);
  }
  if (text.empty())
    return fail(ErrorCode::kInvalidArgument, "the password file " + path + " is empty");
  return text;
}

Result<std::string> read_password_env(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr)
    return fail(ErrorCode::kIo, "the environment variable " + variable + " is not set");
  if (*value == '\0') {
    return fail(ErrorCode::kInvalidArgument, "the environment variable " + variable + " is empty");
  }
  return std::string(value);
}

void wipe(std::string& secret) noexcept {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace motcua::signing
