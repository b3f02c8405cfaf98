// The runtime's own namespaces, visible inside this assembly only; users import the ones they need.
global using RnnGen.Checkpoints;
global using RnnGen.Kernels;
global using RnnGen.Models;
global using RnnGen.Modules;
global using RnnGen.Text;
global using RnnGen.Training;
global using RnnGen.Training.Tasks;
global using RnnGen.Training.Lanes;
