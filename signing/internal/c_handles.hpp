#pragma once
// Internal to signing/ (included by its .cpp files only): owning handles for the C libraries, per
// STYLE.md, and the capture of their error queues into an Error's detail. Every handle type of
// signing/ is named here once, so no deleter is written twice. CHandle itself comes from base/,
// the dependency-free home of shared utilities that every module may include (DESIGN.md).
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <xmlsec/keys.h>
#include <xmlsec/xmldsig.h>

#include <memory>
#include <string>

#include "base/c_handle.hpp"

namespace motcua::signing::internal {

using base::CHandle;

// Macros and function-pointer variables (OPENSSL_free, sk_*_free, xmlFree) are not functions a
// template argument can name: each gets one inline wrapper here.
inline void free_x509_stack(STACK_OF(X509) * s) noexcept { sk_X509_pop_free(s, X509_free); }
inline void free_x509_stack_shallow(STACK_OF(X509) * s) noexcept { sk_X509_free(s); }
inline void free_x509_info_stack(STACK_OF(X509_INFO) * s) noexcept {
  sk_X509_INFO_pop_free(s, X509_INFO_free);
}
inline void free_xml_chars(xmlChar* p) noexcept { xmlFree(p); }
template <class T>
void free_openssl(T* p) noexcept {
  OPENSSL_free(p);
}

using XmlDoc = CHandle<xmlDoc, xmlFreeDoc>;
using XmlChars = CHandle<xmlChar, free_xml_chars>;
using XmlParserCtxt = CHandle<xmlParserCtxt, xmlFreeParserCtxt>;
using XmlUri = CHandle<xmlURI, xmlFreeURI>;
using OpenSslBytes = CHandle<unsigned char, free_openssl<unsigned char>>;  // i2d_* output
using OpenSslString = CHandle<char, free_openssl<char>>;                   // BN_bn2hex, ...
using BignumPtr = CHandle<BIGNUM, BN_free>;
using EcdsaSigPtr = CHandle<ECDSA_SIG, ECDSA_SIG_free>;
using MdCtxPtr = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;
using Pkcs12Ptr = CHandle<PKCS12, PKCS12_free>;
using X509Ptr = CHandle<X509, X509_free>;
using X509StackPtr = CHandle<STACK_OF(X509), free_x509_stack>;
using X509BorrowedStack = CHandle<STACK_OF(X509), free_x509_stack_shallow>;
using X509InfoStackPtr = CHandle<STACK_OF(X509_INFO), free_x509_info_stack>;
using X509StorePtr = CHandle<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = CHandle<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509CrlPtr = CHandle<X509_CRL, X509_CRL_free>;
using EvpPkeyPtr = CHandle<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = CHandle<BIO, BIO_free_all>;
using DSigCtx = CHandle<xmlSecDSigCtx, xmlSecDSigCtxDestroy>;
using SecKey = CHandle<xmlSecKey, xmlSecKeyDestroy>;

// Drains the calling thread's OpenSSL error queue and the xmlsec errors captured since the last
// call into one line of text ("" when both are empty).
std::string take_library_errors();

// Clears both queues before an operation whose errors will be reported.
void clear_library_errors();

// The callback that Library installs into xmlsec: records errors for take_library_errors().
void xmlsec_error_callback(const char* file, int line, const char* func, const char* error_object,
                           const char* error_subject, int reason, const char* msg);

}  // namespace motcua::signing::internal
