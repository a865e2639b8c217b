#include "documents/internal/document_schema.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <fstream>
#include <iterator>

#include "base/c_handle.hpp"
#include "signing/xml_structure.hpp"

namespace motcua::documents {
namespace {

using base::CHandle;
using engine::ErrorCode;
using engine::fail;

// Never XML_PARSE_HUGE: libxml2's own limits stay in force behind the structural pre-scan.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
constexpr std::size_t kMaxMessages = 5;

struct Messages {
  std::string text;
  std::size_t count = 0;
};

void collect(void* data, xmlErrorPtr error) {
  auto* messages = static_cast<Messages*>(data);
  if (error == nullptr || error->level < XML_ERR_ERROR || messages->count++ >= kMaxMessages) return;
  std::string message = error->message == nullptr ? "schema violation" : error->message;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (!messages->text.empty()) messages->text += "; ";
  messages->text += "line " + std::to_string(error->line) + ": " + message;
}

using Doc = CHandle<xmlDoc, xmlFreeDoc>;

engine::Result<Doc> parse(std::string_view xml, const std::string& name) {
  if (xml.size() > kMaxDocumentBytes)
    return fail(ErrorCode::kInvalidInput,
                name + " is larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
  // The limits every untrusted document meets (signing/limits.hpp), before libxml2 builds a tree.
  signing::Limits limits;
  limits.max_bytes = kMaxDocumentBytes;
  if (signing::Status structure = signing::check_xml_structure(xml, limits); !structure) {
    return fail(ErrorCode::kInvalidInput, name + ": " + structure.error().message,
                std::string(signing::to_string(structure.error().code)) +
                    (structure.error().detail.empty() ? "" : ": " + structure.error().detail));
  }
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), name.c_str(), nullptr,
                        kParseOptions));
  if (!doc) {
    const xmlError* error = xmlGetLastError();
    return fail(ErrorCode::kInvalidInput, name + " is not well-formed XML",
                error != nullptr && error->message != nullptr ? error->message : "");
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    return fail(ErrorCode::kInvalidInput, name + " carries a DOCTYPE");
  return doc;
}

}  // namespace

struct DocumentSchema::Compiled {
  std::string path;
  Doc document;  // the schema's own tree, alive as long as the schema
  CHandle<xmlSchema, xmlSchemaFree> schema;
};

engine::Result<DocumentSchema> DocumentSchema::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read the schema " + path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto doc = parse(text, path);
  if (!doc) return fail(ErrorCode::kInvalidDefinition, doc.error().message, doc.error().detail);

  CHandle<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt> parser(
      xmlSchemaNewDocParserCtxt(doc->get()));
  if (!parser) return fail(ErrorCode::kInternal, "cannot create a schema parser");
  Messages messages;
  xmlSchemaSetParserStructuredErrors(parser.get(), collect, &messages);
  CHandle<xmlSchema, xmlSchemaFree> schema(xmlSchemaParse(parser.get()));
  if (!schema)
    return fail(ErrorCode::kInvalidDefinition, path + " is not a valid XML schema", messages.text);
  return DocumentSchema(
      std::make_shared<const Compiled>(Compiled{path, std::move(*doc), std::move(schema)}));
}

engine::Status DocumentSchema::validate(std::string_view xml) const {
  auto doc = parse(xml, "document");
  if (!doc) return tl::unexpected(doc.error());
  CHandle<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt> context(
      xmlSchemaNewValidCtxt(compiled_->schema.get()));
  if (!context) return fail(ErrorCode::kInternal, "cannot create a schema validator");
  Messages messages;
  xmlSchemaSetValidStructuredErrors(context.get(), collect, &messages);
  // > 0: the document breaks the schema; < 0: libxml2 could not validate at all.
  const int invalid = xmlSchemaValidateDoc(context.get(), doc->get());
  if (invalid < 0)
    return fail(ErrorCode::kInternal, "cannot validate against the schema " + compiled_->path,
                messages.text);
  if (invalid > 0)
    return fail(ErrorCode::kInvalidInput,
                "the document does not match the schema " + compiled_->path, messages.text);
  return {};
}

}  // namespace motcua::documents
