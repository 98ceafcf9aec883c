// Package auto imports a file in any format relsop reads, telling the
// format from the content when it is not named, so that relsop import and
// the workspace's import offer the same formats in the same way.
package auto

import (
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/bpmn"
	"github.com/relsop/relsop/internal/importer/githubactions"
	"github.com/relsop/relsop/internal/importer/gitlabci"
)

// Import reads src (named name, for messages and detection) as format
// from, or as the format importer.Detect tells when from is empty. gitlab
// says how a GitLab CI file's includes are read. It returns the format
// used; errors are *importer.Error with a position where there is one.
func Import(name string, src []byte, from importer.Format, gitlab gitlabci.Options) (*importer.Result, importer.Format, error) {
	if from == "" {
		f, err := importer.Detect(name, src)
		if err != nil {
			return nil, "", err
		}
		from = f
	}
	var res *importer.Result
	var err error
	switch from {
	case importer.BPMN:
		res, err = bpmn.Import(name, src)
	case importer.GitHubActions:
		res, err = githubactions.Import(name, src)
	case importer.GitLabCI:
		res, err = gitlabci.Import(name, src, gitlab)
	default:
		return nil, from, &UnknownFormatError{Format: from}
	}
	return res, from, err
}

// UnknownFormatError is a format relsop does not import.
type UnknownFormatError struct{ Format importer.Format }

func (e *UnknownFormatError) Error() string {
	return "relsop does not import the format " + string(e.Format) + "; it imports bpmn, github-actions and gitlab-ci"
}
