package lint

import "sync"

// verbs are the imperative verbs release procedures start their step names
// with. A name such as "Deploy to staging" or "Run regression suite" reads
// as an instruction; "Staging deployment" does not. Teams can add their own
// through the config file's naming.verbs list. Like the other word lists
// it is built on first use (see match.go).
var verbs = lazyWordSet(`
accept acknowledge activate add address adjust agree alert align allocate analyse analyze announce apply approve archive
arrange assemble assess assign attach audit authorise authorize automate back bake benchmark block book brief
build bump calculate call cancel capture certify change check choose clean clear close collect commit communicate
compare compile complete compute configure confirm connect consult contact continue coordinate copy correct create
cut debrief decide declare decommission defer define delete deliver deploy describe destroy detect determine disable
discuss dispatch distribute document download drain draft drop email enable end enforce ensure enter escalate
establish estimate evaluate execute expand export extend fail file fill finalise finalize fix flag flip follow
freeze gather generate grant hand handle hold identify implement import inform initiate inspect install investigate
invite issue keep kick label launch lift link list load lock log maintain make manage map mark measure merge
migrate monitor move notify observe obtain open operate order page patch pause perform pin plan poll post
prepare present preserve prioritise prioritize probe produce promote propose protect provision publish pull purge
push qualify quarantine raise rebase rebuild rehearse receive reconcile record recover redeploy reduce refresh register
reject release remove rename repair replace replicate report request require reserve reset resolve restart
restore resume retag retest retire retrieve return review revert revoke roll rotate route run sanitise sanitize
scale scan schedule scope secure select send set share ship shut sign simulate smoke snapshot sort specify split
stage start stop store submit summarise summarize supply suspend switch sync synchronise synchronize tag test
thaw tidy track train transfer transition trigger triage troubleshoot unblock unfreeze unlock update upgrade upload
validate verify version wait warm watch withdraw write
`)

// smallWords are not counted when judging the casing of a name.
var smallWords = lazyWordSet(`a an and as at by for from in into of on or per the to via vs with within without`)

// lazyWordSet returns the set of the words of s, built on the first call.
func lazyWordSet(s string) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool { return wordSet(s) })
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	word := []byte{}
	flush := func() {
		if len(word) > 0 {
			out[string(word)] = true
			word = word[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '\n' || c == '\t' {
			flush()
		} else {
			word = append(word, c)
		}
	}
	flush()
	return out
}
