#pragma once
// ProxyTrust: which peers are reverse proxies whose X-Forwarded-For header is believed, and the
// client address a request is keyed by (rate limits, access log). A request from an untrusted
// peer is keyed by the peer address and its X-Forwarded-For is ignored (anyone can write one). A
// request from a trusted proxy is keyed by the last hop of X-Forwarded-For that is not itself a
// trusted proxy, reading from the right (each proxy appends the address it received from), so a
// client cannot push a forged entry past the proxies. Immutable after parse(): thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"

namespace motcua::api {

class ProxyTrust {
 public:
  // From CIDR blocks ("10.0.0.0/8", "::1/128"; a bare address means one host). Errors:
  // kInvalidInput naming the first block that is not a CIDR block.
  static engine::Result<ProxyTrust> parse(const std::vector<std::string>& cidrs);

  bool trusts(std::string_view address) const;
  // The client address of a request from `peer` carrying `forwarded_for` ("" when absent; repeated
  // headers joined with ", "). An unparsable hop ends the walk: the proxy that appended it is the
  // client then.
  std::string client(const std::string& peer, std::string_view forwarded_for) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    bool v6 = false;
    unsigned char bytes[16] = {};
    unsigned prefix = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace motcua::api
