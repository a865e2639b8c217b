// Structural-bounds benchmark (issue 12): hostile and large documents through the entry point
// POST /api/v1/verify uses (signing::Verifier::verify), one thread. For each attack it prints the
// outcome, the wall time (and ms per MB of input), the peak RSS growth during the call and the RSS
// the process keeps afterwards. With `--unguarded` it also parses each document with plain
// libxml2 (the options the hardened parser used before the pre-scan, no structural check): the
// "before" figures. References measured in the same run: a memchr pass over the same bytes and
// `openssl speed rsa2048` (sign/s), since absolute times on a shared machine drift.
// Usage: xml_bounds_bench [--unguarded] [attributes for attack (a), default 100000]
#include <libxml/parser.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "bench/signing/bench_rate.hpp"
#include "signing/library.hpp"
#include "signing/verifier.hpp"
#include "signing/xml_structure.hpp"

namespace {

using namespace motcua::signing;
using Clock = std::chrono::steady_clock;

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0) return std::atol(line.c_str() + n + 1);
  }
  return -1;
}

void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

struct Measure {
  double ms = 0;
  long peak_growth_kb = 0, kept_kb = 0;
  std::string outcome;
};

// Starts from a trimmed heap, so that what one measurement leaves behind does not hide the
// growth of the next.
Measure measure(const std::function<std::string()>& op) {
  malloc_trim(0);
  reset_peak();
  const long before = status_kb("VmRSS:");
  const auto start = Clock::now();
  Measure m;
  m.outcome = op();
  m.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  m.peak_growth_kb = status_kb("VmHWM:") - before;
  m.kept_kb = status_kb("VmRSS:") - before;
  return m;
}

struct Attack {
  const char* name;
  std::string xml;
};

std::vector<Attack> attacks(long attributes) {
  std::vector<Attack> out;
  std::string a = "<a";
  for (long i = 0; i < attributes; ++i) a += " a" + std::to_string(i) + "=\"\"";
  out.push_back({"(a) one element, many attributes", a + "/>"});
  std::string b = "<r>";
  while (b.size() < 16 * 1024 * 1024 - 8) b += "<a/>";
  out.push_back({"(b) 16 MB of empty elements", b + "</r>"});
  std::string c;
  for (int i = 0; i < 100000; ++i) c += "<a>";
  for (int i = 0; i < 100000; ++i) c += "</a>";
  out.push_back({"(c) 100000 nested elements", c});
  out.push_back({"(d1) 15 MB text node", "<a>" + std::string(15 * 1024 * 1024, 'x') + "</a>"});
  out.push_back(
      {"(d2) 15 MB attribute value", "<a v=\"" + std::string(15 * 1024 * 1024, 'x') + "\"/>"});
  std::string e = "<a";
  for (long i = 0; i < attributes; ++i) {
    e += " xmlns:p" + std::to_string(i) + "=\"urn:x:" + std::to_string(i) + "\"";
  }
  out.push_back({"(e) one element, many xmlns:p", e + "/>"});
  std::string f = "<r>";  // a large valid document: rows of short fields
  while (f.size() < 8 * 1024 * 1024) {
    f += "<Dong So=\"1\"><Ten>Nguyễn Thị Hồng Nhung</Ten><NoiDung>Phiếu lý lịch tư pháp, không có "
         "án tích</NoiDung></Dong>\n";
  }
  out.push_back({"(f) valid 8 MB table (unsigned)", f + "</r>"});
  const std::string base64_line = "TWFuIGlzIGRpc3Rpbmd1aXNoZWQsIG5vdCBvbmx5IGJ5IGhpcyByZWFzb24s\n";
  std::string g = "<Envelope><Attachment>";
  while (g.size() < 6 * 1024 * 1024) g += base64_line;
  out.push_back({"(g) 6 MB base64 in one node", g + "</Attachment></Envelope>"});
  // The largest accepted documents: the node limit reached with the fewest bytes, and with 16 MB.
  std::string h = "<r>";
  for (int i = 0; i < 499999; ++i) h += "<a/>x";
  out.push_back({"(h) 999,999 nodes in 2.4 MB", h + "</r>"});
  std::string k = "<r>";
  const std::string field(28, 'x');
  while (k.size() < 16 * 1024 * 1024 - 40) k += "<a>" + field + "</a>";
  out.push_back({"(k) 16 MB, ~960,000 nodes", k + "</r>"});
  return out;
}

double openssl_rsa_sign() {
  FILE* pipe = popen("openssl speed -elapsed -seconds 1 rsa2048 2>/dev/null", "r");
  if (pipe == nullptr) return 0;
  char line[512];
  double sign = 0;
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    double a = 0, b = 0, s = 0, v = 0;
    if (std::strncmp(line, "rsa 2048 bits", 13) == 0 &&
        std::sscanf(line + 13, "%lfs %lfs %lf %lf", &a, &b, &s, &v) == 4) {
      sign = s;
    }
  }
  pclose(pipe);
  return sign;
}

}  // namespace

int main(int argc, char** argv) {
  bool unguarded = false;
  long attributes = 100000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--unguarded") == 0) {
      unguarded = true;
    } else {
      attributes = std::atol(argv[i]);
    }
  }
  Library library;
  if (!library.ok()) return 2;
  const std::string dir = motcua::signing::bench::make_dev_pki(MOTCUA_SOURCE_DIR);
  if (dir.empty()) return 2;
  auto verifier = Verifier::create(VerifierConfig{{dir + "/trust"}, {}, true});
  std::filesystem::remove_all(dir);
  if (!verifier) return 2;

  std::printf(
      "xml bounds benchmark: Verifier::verify, one thread; RSS in MB (growth of the peak "
      "during the call, and kept after it)\n");
  std::printf("reference: openssl speed rsa2048 sign %.0f/s\n\n", openssl_rsa_sign());
  std::printf("%-36s %9s %10s %9s %9s %9s  %s\n", "attack", "MB", "ms", "ms/MB", "peak+MB",
              "kept+MB", "outcome");
  for (const Attack& attack : attacks(attributes)) {
    const double mb = static_cast<double>(attack.xml.size()) / (1024 * 1024);
    const auto print = [&](const char* path, const Measure& m) {
      std::printf("%-36s %9.2f %10.1f %9.2f %9.1f %9.1f  %s\n", path, mb, m.ms, m.ms / mb,
                  m.peak_growth_kb / 1024.0, m.kept_kb / 1024.0, m.outcome.c_str());
    };
    std::printf("%s\n", attack.name);
    const Measure scan = measure([&] {
      const void* p = std::memchr(attack.xml.data(), '\x01', attack.xml.size());
      return std::string(p == nullptr ? "-" : "found");
    });
    print("  reference: memchr over the bytes", scan);
    print("  structure scan alone", measure([&] {
            const Status s = check_xml_structure(attack.xml, Limits{});
            return s ? std::string("within the limits") : std::string(to_string(s.error().code));
          }));
    print("  Verifier::verify", measure([&] {
            const VerificationReport report = verifier->verify(attack.xml);
            return report.error
                       ? std::string(to_string(report.error->code)) + ": " + report.error->message
                       : std::string("valid");
          }));
    if (unguarded) {
      print("  before: plain libxml2 parse", measure([&] {
              xmlDocPtr doc = xmlReadMemory(
                  attack.xml.data(), static_cast<int>(attack.xml.size()), nullptr, nullptr,
                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
              const bool ok = doc != nullptr;
              xmlFreeDoc(doc);
              return std::string(ok ? "parsed" : "refused by libxml2");
            }));
    }
    std::fflush(stdout);
  }
  return 0;
}
