#include "api/internal/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace motcua::api {
namespace {

namespace ip = boost::asio::ip;

// The address as 16 bytes (IPv4 mapped into IPv6 is read as IPv4).
bool address_bytes(std::string_view text, bool& v6, unsigned char (&bytes)[16]) {
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  v6 = a.is_v6();
  if (v6) {
    const auto b = a.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), bytes);
  } else {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes);
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

engine::Result<ProxyTrust> ProxyTrust::parse(const std::vector<std::string>& cidrs) {
  ProxyTrust trust;
  for (const std::string& cidr : cidrs) {
    const auto bad = [&] {
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          "not a CIDR block (e.g. 10.0.0.0/8): " + cidr);
    };
    Network n;
    const auto slash = cidr.find('/');
    if (!address_bytes(std::string_view(cidr).substr(0, slash), n.v6, n.bytes)) return bad();
    const unsigned bits = n.v6 ? 128 : 32;
    n.prefix = bits;
    if (slash != std::string::npos) {
      const char* first = cidr.data() + slash + 1;
      const char* last = cidr.data() + cidr.size();
      auto [end, ec] = std::from_chars(first, last, n.prefix);
      if (ec != std::errc() || end != last || first == last || n.prefix > bits) return bad();
    }
    trust.networks_.push_back(n);
  }
  return trust;
}

bool ProxyTrust::trusts(std::string_view address) const {
  bool v6 = false;
  unsigned char bytes[16] = {};
  if (networks_.empty() || !address_bytes(address, v6, bytes)) return false;
  for (const Network& n : networks_) {
    if (n.v6 != v6) continue;
    unsigned bits = n.prefix, i = 0;
    for (; bits >= 8; bits -= 8, ++i) {
      if (bytes[i] != n.bytes[i]) break;
    }
    if (bits >= 8) continue;  // a whole byte differed
    if (bits == 0) return true;
    const unsigned mask = (0xffu << (8 - bits)) & 0xffu;
    if ((bytes[i] & mask) == (n.bytes[i] & mask)) return true;
  }
  return false;
}

std::string ProxyTrust::client(const std::string& peer, std::string_view forwarded_for) const {
  if (forwarded_for.empty() || !trusts(peer)) return peer;
  std::string client = peer;
  while (true) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view hop =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    bool v6 = false;
    unsigned char bytes[16];
    if (!address_bytes(hop, v6, bytes)) return client;
    client = std::string(hop);
    if (!trusts(hop) || comma == std::string_view::npos) return client;
    forwarded_for = forwarded_for.substr(0, comma);
  }
}

}  // namespace motcua::api
