#pragma once
// XmlDocument: a libxml2 document parsed SAFELY from untrusted bytes. Refused, with a Diagnostic
// that names the line where it could:
//   - more than `limits.max_bytes` bytes (checked before any parsing; for files, before reading);
//   - any DOCTYPE (internal or external subset), hence no DTD and no entity declaration: entity
//     expansion (billion laughs) and external entities (file:///etc/passwd) never happen;
//   - elements nested deeper than `limits.max_depth` (checked while parsing, without recursion);
//   - anything not well-formed, and anything not UTF-8 (NUL bytes, UTF-16, another declared
//   encoding).
// No network access (XML_PARSE_NONET), no XInclude, no DTD loading or validation. Parse errors
// never reach stderr. The document owns its xmlDoc; move-only. Parsing is thread-safe once
// XmlLibrary (xml_library.hpp) exists; one document is not safe for concurrent mutation.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "workflows/diagnostic.hpp"

// libxml2's own type names, declared here so that users of this header need no libxml2 include.
typedef struct _xmlDoc xmlDoc;
typedef struct _xmlNode xmlNode;

namespace motcua::workflows {

struct XmlLimits {
  std::size_t max_bytes = 4 * 1024 * 1024;  // procedure definitions: 4 MiB
  int max_depth = 64;
};

class XmlDocument {
 public:
  static tl::expected<XmlDocument, Diagnostic> parse(std::string_view bytes, std::string source,
                                                     XmlLimits limits = {});
  // Reads and parses a file; a file larger than the limit is refused without being read.
  static tl::expected<XmlDocument, Diagnostic> parse_file(const std::string& path,
                                                          XmlLimits limits = {});

  xmlDoc* get() const noexcept { return doc_.get(); }
  xmlNode* root() const noexcept;
  const std::string& source() const noexcept { return source_; }

 private:
  struct Free {
    void operator()(xmlDoc* doc) const noexcept;
  };
  XmlDocument(xmlDoc* doc, std::string source) : doc_(doc), source_(std::move(source)) {}

  std::unique_ptr<xmlDoc, Free> doc_;
  std::string source_;
};

// Reads a whole file into memory, refusing files larger than max_bytes before reading them.
tl::expected<std::string, Diagnostic> read_file_limited(const std::string& path,
                                                        std::size_t max_bytes);

}  // namespace motcua::workflows
