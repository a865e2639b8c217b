#pragma once
// Where a key store password comes from: a file (first line, trailing CR/LF removed) or an
// environment variable. Never a command-line argument (visible to every user in `ps`).
// Errors: kIo when the file or variable is missing or unreadable, kInvalidArgument when empty.
#include <string>

#include "signing/error.hpp"

namespace motcua::signing {

Result<std::string> read_password_file(const std::string& path);
Result<std::string> read_password_env(const std::string& variable);

// Overwrites the password in memory (OPENSSL_cleanse) and empties it.
void wipe(std::string& secret) noexcept;

}  // namespace motcua::signing
