#pragma once
// TLS test support: a self-signed certificate for 127.0.0.1, made with the openssl command.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace motcua::api::e2e {

// The directory holding cert.pem and key.pem (RSA 2048, valid two days).
inline std::filesystem::path make_certificate() {
  const auto dir = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api" / "tls";
  std::filesystem::create_directories(dir);
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=critical,CA:TRUE "
      "-keyout " +
      (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return dir;
}

}  // namespace motcua::api::e2e
