#pragma once
// Shared by the signing tests: random well-formed documents for the differential tests of the
// canonicalisers (c14n_differential_test.cpp, streaming_c14n_test.cpp). Prefixes are declared
// before use and no element carries two attributes with the same expanded name, so libxml2 parses
// every one.
#include <cstddef>
#include <initializer_list>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace motcua::signing::test {

struct GeneratorOptions {
  // Id / ID / id attributes with unique values ("n1", "n2", ...; ids() lists them).
  bool ids = false;
  // Syntax variety that libxml2's tree hides: single quotes, line ends and tabs between
  // attributes, an XML declaration with an encoding, character references beyond the BMP.
  bool syntax = false;
};

class Generator {
 public:
  explicit Generator(unsigned seed, GeneratorOptions options = {})
      : options_(options), rng_(seed) {}

  std::string document() {
    ids_.clear();
    std::string doc = pick({"", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"});
    if (options_.syntax && doc.empty() && below(3) == 0) {
      doc = pick({"<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
                  "<?xml version=\"1.0\"\r\n?>\r\n", "<?xml version=\"1.0\" standalone=\"no\"?>"});
    }
    doc += misc();
    doc += element(0, {{"", ""}});
    return doc + misc();
  }

  // The Id values of the last document.
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  using Scope = std::vector<std::pair<std::string, std::string>>;  // prefix -> URI, last wins

  std::string misc() {
    std::string s;
    for (int i = below(3); i > 0; --i) {
      s += pick({"<?target some data?>", "<!-- outside -->", "\n", "<?empty?>"});
    }
    return s;
  }

  static std::string lookup(const Scope& scope, const std::string& prefix) {
    for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
      if (it->first == prefix) return it->second;
    }
    return prefix.empty() ? "" : "-";
  }

  std::string space() {
    if (!options_.syntax) return " ";
    return pick({" ", " ", "\r\n  ", "\t", "\n"});
  }

  std::string quoted(const std::string& value) {
    if (options_.syntax && below(3) == 0 && value.find('\'') == std::string::npos) {
      return "'" + value + "'";
    }
    return "\"" + value + "\"";
  }

  std::string element(int depth, Scope scope) {
    std::string decls;
    for (const char* prefix : {"", "a", "b", "c"}) {
      if (below(4) != 0) continue;
      std::string uri = pick({"urn:x", "urn:y", "http://example.org/ns", "urn:a:b?c=1"});
      if (*prefix == 0 && below(3) == 0) uri = "";  // xmlns="" undeclares the default
      decls += space() + "xmlns" + (*prefix ? ":" : "") + prefix + "=" + quoted(uri);
      scope.emplace_back(prefix, uri);
    }
    std::vector<std::string> usable;  // prefixes bound to a namespace here
    for (const char* p : {"a", "b", "c"}) {
      if (lookup(scope, p) != "-") usable.push_back(p);
    }
    std::string name = pick({"e", "Dong", "Ten", "f"});
    if (!usable.empty() && below(2) == 0) name = usable[below(usable.size())] + ":" + name;
    std::string attrs;
    std::set<std::string> expanded;
    for (int i = below(4); i > 0; --i) {
      std::string attr = pick({"x", "y", "So", "z"});
      std::string uri;
      const int kind = below(5);
      if (kind == 0 && !usable.empty()) {
        const std::string prefix = usable[below(usable.size())];
        uri = lookup(scope, prefix);
        attr = prefix + ":" + attr;
      } else if (kind == 1) {
        attr = pick({"xml:lang", "xml:space"});
        uri = "xml";
      }
      if (!expanded.insert(uri + "|" + attr.substr(attr.find(':') + 1)).second) continue;
      attrs += space() + attr + "=" + quoted(text(true));
    }
    if (options_.ids && below(3) == 0) {
      ids_.push_back("n" + std::to_string(++last_id_));
      attrs += space() + pick({"Id", "ID", "id"}) + "=" + quoted(ids_.back());
    }
    std::string s = "<" + name + decls + attrs;
    if (options_.syntax && below(3) == 0) s += space();
    if (below(6) == 0) return s + "/>";
    s += ">";
    for (int i = below(depth < 4 ? 5 : 2); i > 0; --i) {
      const int kind = below(8);
      if (kind < 3 && depth < 4) {
        s += element(depth + 1, scope);
      } else if (kind == 3) {
        s += "<![CDATA[ <b> & ]] > \r\n" + text(false) + "]]>";
      } else if (kind == 4) {
        s += pick({"<?pi?>", "<?pi data &amp; <x> \r\n?>", "<!-- a comment -->"});
      } else {
        s += text(false);
      }
    }
    return s + "</" + name + (options_.syntax && below(4) == 0 ? space() : "") + ">";
  }

  std::string text(bool attribute) {
    std::string s;
    for (int i = below(4); i > 0; --i) {
      s += pick({"Nguyễn Thị Hồng Nhung", " ", "\n  ", "&amp;", "&lt;", "&gt;", "&#13;", "&#xD;",
                 "\r\n", "\t", "&quot;", "'", "&#9;", "&#10;", "&#233;", "Phiếu lý lịch"});
      if (options_.syntax) s += pick({"", "\r", "&#x1F600;", "&apos;", "\xF0\x9F\x98\x80"});
      if (!attribute) s += pick({"", ">", "\"", "]]"});
    }
    return s;
  }

  int below(std::size_t n) { return static_cast<int>(rng_() % n); }
  std::string pick(std::initializer_list<const char*> options) {
    return *(options.begin() + below(options.size()));
  }

  GeneratorOptions options_;
  std::mt19937 rng_;
  std::vector<std::string> ids_;
  int last_id_ = 0;
};

}  // namespace motcua::signing::test
