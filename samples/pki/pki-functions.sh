# Shared by make-dev-pki and make-demo-keys (sourced, not run): `openssl ca` helpers that write under
# $out. The caller sets $out (an absolute directory), umask 077 and OPENSSL_CONF=/dev/null first.

ca_config() {  # ca_config DIR: the `openssl ca` configuration of the CA kept in DIR
  local dir=$1
  mkdir -p "$dir/issued"
  : >"$dir/index.txt"
  echo 1000 >"$dir/serial"
  echo 01 >"$dir/crlnumber"
  cat >"$dir/ca.cnf" <<CNF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/issued
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
default_crl_days = ${CRL_DAYS:-30}
policy = any
unique_subject = no
copy_extensions = none
string_mask = utf8only
utf8 = yes
[ any ]
commonName = supplied
organizationalUnitName = optional
title = optional
organizationName = optional
localityName = optional
stateOrProvinceName = optional
countryName = optional
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_intermediate ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_signing ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ca_signing ]
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, nonRepudiation, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_no_usage ]
basicConstraints = critical, CA:false
keyUsage = critical, keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
}

new_key() {  # new_key FILE rsa2048|rsa1024|p256
  case $2 in
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
  esac
}

# CAs are valid from 2019 so that documents can be verified at past times (the expired certificate
# lived in 2020).
ca_start=20190101000000Z
make_root() {  # make_root NAME KEYTYPE SUBJECT
  local dir=$out/ca/$1 csr
  ca_config "$dir"
  new_key "$dir/ca.key" "$2"
  csr=$(mktemp "$out/csr.XXXXXX")
  openssl req -new -utf8 -key "$dir/ca.key" -subj "$3" -out "$csr"
  openssl ca -batch -selfsign -config "$dir/ca.cnf" -keyfile "$dir/ca.key" -extensions v3_root \
    -startdate $ca_start -enddate 20460101000000Z -notext -in "$csr" -out "$dir/ca.pem" 2>/dev/null
  rm -f "$csr"
  cp "$dir/ca.pem" "$out/$1.pem"
}

issue() {  # issue CA NAME KEYTYPE SUBJECT EXTENSIONS [STARTDATE ENDDATE]: prints nothing
  local ca=$out/ca/$1 name=$2 csr
  csr=$(mktemp "$out/csr.XXXXXX")
  new_key "$out/$name.key" "$3"
  openssl req -new -utf8 -key "$out/$name.key" -subj "$4" -out "$csr"
  local dates=(-days 730)
  if [[ $# -ge 7 ]]; then dates=(-startdate "$6" -enddate "$7"); fi
  openssl ca -batch -config "$ca/ca.cnf" -extensions "$5" "${dates[@]}" -notext \
    -in "$csr" -out "$out/$name.pem" 2>/dev/null
  rm -f "$csr"
}

make_intermediate() {  # make_intermediate NAME SUBJECT
  issue root-ca "$1" rsa2048 "$2" v3_intermediate $ca_start 20450101000000Z
  local dir=$out/ca/$1
  ca_config "$dir"
  mv "$out/$1.key" "$dir/ca.key"
  cp "$out/$1.pem" "$dir/ca.pem"
}

finish_leaf() {  # finish_leaf NAME CA: the chain file and the PKCS#12 bundle
  cat "$out/$1.pem" "$out/ca/$2/ca.pem" >"$out/$1-chain.pem"
  openssl pkcs12 -export -inkey "$out/$1.key" -in "$out/$1.pem" -certfile "$out/ca/$2/ca.pem" \
    -name "$1" -passout file:"$out/p12.pass" -out "$out/$1.p12"
}

gen_crl() {  # gen_crl CA
  openssl ca -batch -config "$out/ca/$1/ca.cnf" -gencrl -out "$out/ca/$1/crl.pem" 2>/dev/null
}
