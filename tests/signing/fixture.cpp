#include "tests/signing/fixture.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "signing/library.hpp"

namespace motcua::signing::test {
namespace {

struct Pki {
  std::string dir;
  bool ok = false;
  Pki() {
    std::filesystem::path base = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-tmp";
    std::filesystem::create_directories(base);
    std::string templ = (base / "signing-pki-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) return;
    dir = templ;
    std::string cmd =
        std::string(MOTCUA_SOURCE_DIR) + "/samples/pki/make-dev-pki '" + dir + "' >/dev/null";
    ok = std::system(cmd.c_str()) == 0;
    std::filesystem::create_directories(dir + "/tmp");
  }
  ~Pki() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

Library& library() {
  static Library lib;
  return lib;
}

const Pki& the_pki() {
  static Pki p;
  return p;
}

}  // namespace

const std::string& pki_dir() {
  REQUIRE(library().ok());
  const Pki& p = the_pki();
  REQUIRE_MESSAGE(p.ok, "make-dev-pki failed");
  return p.dir;
}

std::string pki(const std::string& name) { return pki_dir() + "/" + name; }

SigningKey pem_key(const std::string& name) {
  auto key = SigningKey::from_pem(pki(name + ".key"), pki(name + "-chain.pem"));
  REQUIRE_MESSAGE(key.has_value(), (key ? "" : key.error().message + " " + key.error().detail));
  return *key;
}

Signer signer_for(const std::string& name) { return Signer(pem_key(name)); }

const Verifier& verifier() {
  static Verifier v = [] {
    auto made = Verifier::create(VerifierConfig{{pki("trust")}, {}, true});
    REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
    return *made;
  }();
  return v;
}

std::string sample_document() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<KetQua xmlns=\"urn:motcua:ketqua:1\" Id=\"kq-1\">\n"
         "  <SoHoSo>000.00.14.H20-261127-0007</SoHoSo>\n"
         "  <CoQuan MaDinhDanh=\"000.00.14.H20\">Sở Tư pháp tỉnh H20</CoQuan>\n"
         "  <NguoiNhan>Nguyễn Thị Hồng Nhung</NguoiNhan>\n"
         "  <NoiDung>Phiếu lý lịch tư pháp số 1: không có án tích</NoiDung>\n"
         "  <SoTien>200000</SoTien>\n"
         "</KetQua>\n";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string temp_path(const std::string& name) { return pki_dir() + "/tmp/" + name; }

int run(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::string text;
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  const int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool xmlsec1_verifies(const std::string& signed_xml, const std::string& id_attr) {
  static int counter = 0;
  const std::string file = temp_path("xmlsec1-verify-" + std::to_string(++counter) + ".xml");
  write_file(file, signed_xml);
  std::string cmd =
      "xmlsec1 --verify --enabled-key-data x509 --trusted-pem '" + pki("root-ca.pem") + "'";
  if (!id_attr.empty()) cmd += " --id-attr:Id " + id_attr;
  cmd += " --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties '" + file + "'";
  std::string output;
  const int status = run(cmd, &output);
  return status == 0 && output.find("OK") != std::string::npos;
}

std::string xmlsec1_sign(const std::string& template_xml, const std::string& name,
                         const std::string& extra_args) {
  static int counter = 0;
  const std::string in = temp_path("xmlsec1-template-" + std::to_string(++counter) + ".xml");
  const std::string out = in + ".signed";
  write_file(in, template_xml);
  std::string key_args = name.empty()
                             ? std::string()
                             : "--privkey-pem '" + pki(name + ".key") + "," + pki(name + ".pem") +
                                   "," + pki(name + "-chain.pem") + "'";
  std::string output;
  const int status =
      run("xmlsec1 --sign " + key_args + " " + extra_args + " --output '" + out + "' '" + in + "'",
          &output);
  REQUIRE_MESSAGE(status == 0, "xmlsec1 --sign failed: " << output);
  return read_file(out);
}

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto from = text.find(open);
  REQUIRE(from != std::string::npos);
  const auto to = text.find(close, from + open.size());
  REQUIRE(to != std::string::npos);
  return text.substr(from + open.size(), to - from - open.size());
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "'" << from << "' not found");
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace motcua::signing::test
