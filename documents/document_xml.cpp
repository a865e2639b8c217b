#include "documents/document_xml.hpp"

#include <libxml/tree.h>

#include "base/c_handle.hpp"

namespace motcua::documents {
namespace {

using base::CHandle;

const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
// xmlFree is a function pointer variable, not a function: wrap it for CHandle.
void free_xml(xmlChar* p) { xmlFree(p); }

// A document under construction. libxml2 returns nullptr from the tree functions only when memory
// runs out; `ok` records it so the caller reports one kInternal instead of checking every call.
class Builder {
 public:
  explicit Builder(std::string_view ns, const char* root_name) : doc_(xmlNewDoc(x("1.0"))) {
    if (!doc_) return;
    root_ = xmlNewDocNode(doc_.get(), nullptr, x(root_name), nullptr);
    if (root_ == nullptr) return;
    xmlDocSetRootElement(doc_.get(), root_);
    ns_ = xmlNewNs(root_, x(std::string(ns)), nullptr);
    if (ns_ == nullptr) return;
    xmlSetNs(root_, ns_);
    ok_ = true;
  }

  xmlNodePtr root() const { return root_; }

  // <name>text</name> under parent; the text is escaped by xmlNewTextChild.
  xmlNodePtr child(xmlNodePtr parent, const char* name, const std::string* text = nullptr) {
    if (!ok_ || parent == nullptr) return nullptr;
    xmlNodePtr node = xmlNewTextChild(parent, ns_, x(name), text == nullptr ? nullptr : x(*text));
    if (node == nullptr) ok_ = false;
    return node;
  }
  xmlNodePtr child(xmlNodePtr parent, const char* name, const std::string& text) {
    return child(parent, name, &text);
  }

  // The value is stored as text and escaped on output (xmlNewProp does not parse entities).
  void attribute(xmlNodePtr node, const char* name, const std::string& value) {
    if (!ok_ || node == nullptr) return;
    if (xmlNewProp(node, x(name), x(value)) == nullptr) ok_ = false;
  }

  void name(xmlNodePtr parent, const engine::Text& text) {
    xmlNodePtr node = child(parent, "name");
    attribute(node, "vi", text.vi);
    attribute(node, "en", text.en);
  }

  void agency(const AgencyContent& agency) {
    xmlNodePtr node = child(root_, "agency");
    attribute(node, "id", agency.id);
    name(node, agency.name);
  }

  void procedure(const ProcedureContent& procedure) {
    xmlNodePtr node = child(root_, "procedure");
    attribute(node, "code", procedure.code);
    attribute(node, "version", std::to_string(procedure.version));
    name(node, procedure.name);
  }

  void person(const char* element, const PersonContent& person) {
    xmlNodePtr node = child(root_, element, person.name.empty() ? person.login : person.name);
    attribute(node, "login", person.login);
    if (!person.role.empty()) attribute(node, "role", person.role);
  }

  engine::Result<std::string> serialise() {
    if (!ok_) return engine::fail(engine::ErrorCode::kInternal, "cannot build the XML document");
    xmlChar* raw = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc_.get(), &raw, &size, "UTF-8", 1);
    CHandle<xmlChar, free_xml> owned(raw);
    if (!owned || size <= 0)
      return engine::fail(engine::ErrorCode::kInternal, "cannot serialise the XML document");
    return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
  }

 private:
  CHandle<xmlDoc, xmlFreeDoc> doc_;
  xmlNodePtr root_ = nullptr;
  xmlNsPtr ns_ = nullptr;
  bool ok_ = false;
};

}  // namespace

engine::Result<std::string> render_receipt(const ReceiptContent& c) {
  Builder b(kReceiptNamespace, "receipt");
  xmlNodePtr root = b.root();
  b.attribute(root, "Id", c.id);
  b.attribute(root, "form", "01");
  b.attribute(root, "basis", std::string(kReceiptBasis));
  b.child(root, "title", std::string(kReceiptTitle));
  b.agency(c.agency);
  b.child(root, "dossier-code", c.dossier_code);
  b.procedure(c.procedure);
  b.child(root, "applicant", c.applicant);
  xmlNodePtr components = b.child(root, "components");
  for (const ComponentContent& component : c.components) {
    xmlNodePtr node = b.child(components, "component");
    b.attribute(node, "id", component.id);
    b.attribute(node, "originals", std::to_string(component.originals));
    b.attribute(node, "copies", std::to_string(component.copies));
    b.attribute(node, "digitised", component.digitised ? "true" : "false");
    b.name(node, component.name);
  }
  b.child(root, "channel", c.channel);
  b.child(root, "received", c.received);
  b.child(root, "due", c.due);
  if (!c.due_provisional.empty()) {
    xmlNodePtr provisional = b.child(root, "due-provisional");
    xmlNodePtr note = b.child(provisional, "note");
    b.attribute(note, "vi", std::string(kProvisionalDueVi));
    b.attribute(note, "en", std::string(kProvisionalDueEn));
    for (const std::string& day : c.due_provisional) b.child(provisional, "day", day);
  }
  b.person("officer", c.officer);
  return b.serialise();
}

engine::Result<std::string> render_result(const ResultContent& c) {
  Builder b(kResultNamespace, "result");
  xmlNodePtr root = b.root();
  b.attribute(root, "Id", c.id);
  b.agency(c.agency);
  b.child(root, "dossier-code", c.dossier_code);
  b.procedure(c.procedure);
  b.child(root, "applicant", c.applicant);
  xmlNodePtr document = b.child(root, "document");
  b.attribute(document, "id", c.document_id);
  b.attribute(document, "code", c.document_code);
  b.name(document, c.document_name);
  xmlNodePtr decision = b.child(root, "decision");
  if (c.approved) {
    b.child(decision, "approved");
  } else {
    xmlNodePtr refused = b.child(decision, "refused");
    b.child(refused, "reason", c.reason);
  }
  b.child(root, "issued", c.issued);
  b.person("signer", c.signer);
  return b.serialise();
}

}  // namespace motcua::documents
