// An independent HPKE peer for test/interop/circl.test.ts: Cloudflare CIRCL from Debian's
// golang-github-cloudflare-circl-dev, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM.
// Reads a JSON array of requests on stdin, answers a JSON array (hex everywhere):
//   {"op":"open","sk","enc","ct","info","aad"} -> {"pt"} or {"error"}
//   {"op":"seal","pk","pt","info","aad"}       -> {"enc","ct"}
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"

	"github.com/cloudflare/circl/hpke"
)

type request struct {
	Op, Sk, Pk, Enc, Ct, Pt, Info, Aad string
}

type answer struct {
	Pt    string `json:"pt,omitempty"`
	Enc   string `json:"enc,omitempty"`
	Ct    string `json:"ct,omitempty"`
	Error string `json:"error,omitempty"`
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func run(suite hpke.Suite, r request) answer {
	kem := hpke.KEM_X25519_HKDF_SHA256.Scheme()
	if r.Op == "open" {
		sk, err := kem.UnmarshalBinaryPrivateKey(unhex(r.Sk))
		if err != nil {
			return answer{Error: err.Error()}
		}
		receiver, err := suite.NewReceiver(sk, unhex(r.Info))
		if err != nil {
			return answer{Error: err.Error()}
		}
		opener, err := receiver.Setup(unhex(r.Enc))
		if err != nil {
			return answer{Error: err.Error()}
		}
		pt, err := opener.Open(unhex(r.Ct), unhex(r.Aad))
		if err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Pt: hex.EncodeToString(pt)}
	}
	pk, err := kem.UnmarshalBinaryPublicKey(unhex(r.Pk))
	if err != nil {
		return answer{Error: err.Error()}
	}
	sender, err := suite.NewSender(pk, unhex(r.Info))
	if err != nil {
		return answer{Error: err.Error()}
	}
	enc, sealer, err := sender.Setup(rand.Reader)
	if err != nil {
		return answer{Error: err.Error()}
	}
	ct, err := sealer.Seal(unhex(r.Pt), unhex(r.Aad))
	if err != nil {
		return answer{Error: err.Error()}
	}
	return answer{Enc: hex.EncodeToString(enc), Ct: hex.EncodeToString(ct)}
}

func main() {
	var requests []request
	if err := json.NewDecoder(os.Stdin).Decode(&requests); err != nil {
		panic(err)
	}
	suite := hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_AES128GCM)
	answers := make([]answer, len(requests))
	for i, r := range requests {
		answers[i] = run(suite, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(answers); err != nil {
		panic(err)
	}
}
